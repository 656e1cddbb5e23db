import type { KoaMiddleware } from 'oidc-provider';
import { PAGE_CSP } from './html.ts';

/**
 * Headers on every HTML answer of the development AS (its own pages and oidc-provider's error
 * pages alike): the strict CSP, no framing, no MIME sniffing, no referrer (the URL of a device
 * page carries the user code) and no caching of pages that carry CSRF secrets.
 */
export const securityHeaders: KoaMiddleware = async (ctx, next) => {
  await next();
  if (!ctx.response.is('html')) return;
  ctx.set('content-security-policy', PAGE_CSP);
  ctx.set('x-frame-options', 'DENY');
  ctx.set('x-content-type-options', 'nosniff');
  ctx.set('referrer-policy', 'no-referrer');
  ctx.set('cache-control', 'no-store');
};
