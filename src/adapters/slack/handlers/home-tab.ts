import type { App } from '@slack/bolt';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { listMyElevations } from '../../../app/chat/my-elevations.ts';
import { renderHomeView } from '../render/home-view.ts';
import type { SlackHandlerContext } from './handler-context.ts';

/**
 * Publishes the person's App Home each time they open it, so it always shows the current state.
 * In the requests lane; when it is full the tab keeps what it showed last (an event has no one to answer).
 */
export function registerHomeTab(app: App, context: SlackHandlerContext): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    const userId = event.user;
    context.work.requests.run('app home', async () => {
      let view: Record<string, unknown>;
      try {
        view = renderHomeView(await listMyElevations(context.deps.store, await context.actorFor(userId)), context.config.command);
      } catch (error) {
        view = renderHomeView(null, context.config.command, describeFailureForPerson(error));
      }
      await context.client.views.publish({ user_id: userId, view: view as never });
    });
  });
}
