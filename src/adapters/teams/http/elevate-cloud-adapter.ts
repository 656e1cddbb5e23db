import { CloudAdapter, type Activity, type ConfigurationBotFrameworkAuthentication, type InvokeResponse, type TurnContext } from 'botbuilder';

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/**
 * botbuilder's `CloudAdapter`, with its turn processing reachable after authentication has been
 * done by our front door. `CloudAdapter.process` authenticates and processes in one step and
 * answers a bad signature with a 500 whose body is the error message; splitting the steps lets
 * every failed authentication be a bare 401 that touched nothing.
 */
export class ElevateCloudAdapter extends CloudAdapter {
  runAuthenticated(authentication: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authentication, activity, logic);
  }
}

export type { AuthenticateRequestResult };
