import { formsOf, type Page, type TestBrowser } from './test-browser.ts';

/**
 * What a person does in a browser for `elevate login` at the development AS: opens the
 * verification URL, enters the user code, confirms it, and picks who they are on the login page
 * (skipped by the AS when the browser's session already signed them in). Returns the last page.
 */
export async function signInOnDevicePage(browser: TestBrowser, options: { verificationUri: string; userCode: string; principalId: string }): Promise<Page> {
  const input = await browser.get(options.verificationUri);
  const confirm = await browser.submit(input, { user_code: options.userCode });
  const next = await browser.submit(confirm, { confirm: 'yes' });
  if (!isLoginPage(next)) return next;
  return browser.submit(next, { principal: options.principalId }, '/login');
}

export function isLoginPage(page: Page): boolean {
  return formsOf(page).some((form) => form.action.endsWith('/login'));
}
