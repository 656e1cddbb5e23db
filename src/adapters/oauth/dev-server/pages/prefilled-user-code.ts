import type { KoaMiddleware } from 'oidc-provider';

export const PREFILLED_USER_CODE = 'elevatePrefilledUserCode';
const LONGEST_USER_CODE = 32;

/**
 * `verification_uri_complete` (RFC 8628 §3.3.1) opens the device page with `?user_code=`, which
 * oidc-provider answers with a form that submits itself by inline script: blocked by the pages'
 * CSP. Takes the code off the query instead, so the ordinary input page shows it filled in and
 * the person submits it (and then confirms it, as RFC 8628 §5.4 recommends against phishing).
 */
export function prefilledUserCode(codeVerificationPath: string): KoaMiddleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === codeVerificationPath) {
      const query = new URLSearchParams(ctx.querystring);
      const code = query.get('user_code');
      if (code !== null) {
        query.delete('user_code');
        ctx.querystring = query.toString();
        ctx.state[PREFILLED_USER_CODE] = code.slice(0, LONGEST_USER_CODE);
      }
    }
    await next();
  };
}
