import type { AuthenticationEvidence } from './step-up.ts';

/**
 * A browser signed in to the dashboard. Only the SHA-256 of the session's secret is stored; the
 * browser holds the secret in a sealed cookie. A session ends at sign-out, after `idle` without a
 * request, or at its absolute end, whichever comes first, and an ended session never comes back.
 */
export interface WebSession {
  idHash: string;
  principalId: string;
  createdAt: Date;
  /** The last request seen (written at most once a minute). */
  lastSeenAt: Date;
  /** The absolute end: `createdAt` + the configured lifetime. */
  expiresAt: Date;
  /** Sign-out, or null. */
  endedAt: Date | null;
  /** The session's latest sign-in at the OpenID provider: the first, or a step-up since. */
  evidence: AuthenticationEvidence;
}

export interface WebSessionLimits {
  /** Ends a session this long after its last request. */
  idleSec: number;
  /** Ends a session this long after it began, however busy. */
  absoluteSec: number;
}

export const DEFAULT_WEB_SESSION_LIMITS: WebSessionLimits = Object.freeze({ idleSec: 30 * 60, absoluteSec: 12 * 3600 });

/** Don't write `lastSeenAt` on every page: once a minute is precise enough for an idle limit. */
export const WEB_SESSION_TOUCH_INTERVAL_SEC = 60;

export type WebSessionState = 'active' | 'signed_out' | 'expired' | 'idle';

export function webSessionState(session: WebSession, limits: WebSessionLimits, now: Date): WebSessionState {
  if (session.endedAt !== null) return 'signed_out';
  if (now.getTime() >= session.expiresAt.getTime()) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= limits.idleSec * 1000) return 'idle';
  return 'active';
}
