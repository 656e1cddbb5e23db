import { devTotpCode } from '../../support/dev-totp.ts';
import { formsOf, type Page, type TestBrowser } from './test-browser.ts';

/**
 * What a person does in a browser for `elevate login` at the development AS: opens the
 * verification URL, enters the user code, confirms it, and signs in on the login page — picks
 * who they are, then types their one-time code, computed from the secrets in `dataDir` (skipped
 * by the AS when the browser's session already signed them in). Returns the last page.
 * `forgetUsedCodes`: see {@link devTotpCode}.
 */
export async function signInOnDevicePage(
  browser: TestBrowser,
  options: { verificationUri: string; userCode: string; principalId: string; dataDir: string; forgetUsedCodes?: boolean },
): Promise<Page> {
  const input = await browser.get(options.verificationUri);
  const confirm = await browser.submit(input, { user_code: options.userCode });
  const next = await browser.submit(confirm, { confirm: 'yes' });
  if (!isLoginPage(next)) return next;
  return completeDevLogin(browser, next, options.principalId, options.dataDir, { forgetUsedCodes: options.forgetUsedCodes });
}

/**
 * The development login's two steps from its first page: the pick, then the TOTP code of that
 * person ({@link devTotpCode}). Returns the page after the code, or the page that refused the pick.
 */
export async function completeDevLogin<P extends Page>(
  browser: { submit(page: P, fields?: Record<string, string>, actionSuffix?: string): Promise<P> },
  loginPage: P,
  principalId: string,
  dataDir: string,
  options: { forgetUsedCodes?: boolean } = {},
): Promise<P> {
  const codePage = await browser.submit(loginPage, { principal: principalId }, '/login');
  if (!isCodePage(codePage)) return codePage;
  return browser.submit(codePage, { code: devTotpCode(dataDir, principalId, Date.now(), options) }, '/code');
}

export function isLoginPage(page: Page): boolean {
  return formsOf(page).some((form) => form.action.endsWith('/login'));
}

/** The login's second step: the form that takes the one-time code. */
export function isCodePage(page: Page): boolean {
  return formsOf(page).some((form) => form.action.endsWith('/code'));
}
