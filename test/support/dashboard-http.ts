import { completeDevLogin } from '../fakes/oauth/device-sign-in.ts';
import { formsOf } from '../fakes/oauth/test-browser.ts';
import { StepUpBrowser, type Hop } from './step-up-browser.ts';

/**
 * A browser over plain HTTP (no script), signed in to the dashboard as `principalId` through the
 * real sign-in: the sign-in page's button, the development AS's login (pick and TOTP code), the
 * callback. Returns the browser (its cookies) and the page it landed on.
 */
export async function signedInBrowser(serviceUrl: string, dataDir: string, principalId: string, returnTo?: string): Promise<{ browser: StepUpBrowser; landed: Hop }> {
  const browser = new StepUpBrowser(dataDir);
  const signInPage = await browser.get(`${serviceUrl}/sign-in${returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : ''}`);
  const toProvider = await browser.submit(signInPage, {}, '/sign-in');
  const loginPage = await browser.follow(toProvider);
  const afterLogin = await completeDevLogin(browser, loginPage, principalId, dataDir, { forgetUsedCodes: true });
  const landed = await browser.follow(afterLogin);
  if (landed.status !== 200) throw new Error(`sign-in as ${principalId} ended on ${landed.status} ${landed.url}:\n${landed.body.slice(0, 500)}`);
  return { browser, landed };
}

/** The CSRF token on a dashboard page (every form carries the same one). */
export function csrfOf(page: Hop): string {
  const token = formsOf(page).map((form) => form.fields['csrf']).find((value) => value !== undefined);
  if (token === undefined) throw new Error(`no CSRF token on ${page.url}`);
  return token;
}
