import type { Principal } from '../../domain/principal.ts';
import { WEB_SESSION_TOUCH_INTERVAL_SEC, webSessionState, type WebSession, type WebSessionLimits, type WebSessionState } from '../../domain/web-session.ts';
import type { CoreDeps } from '../deps.ts';
import { hashSecret } from '../step-up/secrets.ts';

export type ResumedWebSession = { ok: true; session: WebSession; principal: Principal } | { ok: false; why: Exclude<WebSessionState, 'active'> | 'unknown' | 'no_principal' };

/**
 * The session a browser's secret names, if it is still open: not signed out, not idle, not past
 * its absolute end, and its principal still a person of the configuration (read afresh, so a
 * removed admin role is gone on the next page). Moves `lastSeenAt` at most once a minute.
 */
export async function resumeWebSession(deps: Pick<CoreDeps, 'store' | 'clock'>, secret: string, limits: WebSessionLimits): Promise<ResumedWebSession> {
  const session = await deps.store.getWebSession(hashSecret(secret));
  if (!session) return { ok: false, why: 'unknown' };
  const now = deps.clock.now();
  const state = webSessionState(session, limits, now);
  if (state !== 'active') return { ok: false, why: state };
  const principal = await deps.store.getPrincipal(session.principalId);
  if (!principal || principal.kind !== 'human') return { ok: false, why: 'no_principal' };
  if (now.getTime() - session.lastSeenAt.getTime() >= WEB_SESSION_TOUCH_INTERVAL_SEC * 1000) {
    await deps.store.transaction((tx) => tx.touchWebSession(session.idHash, now));
  }
  return { ok: true, session, principal };
}
