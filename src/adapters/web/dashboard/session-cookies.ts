import type { IncomingMessage } from 'node:http';
import type { PendingSignIn } from '../../../app/web-session/index.ts';
import { clearCookie, readCookie, setCookie } from '../http/cookies.ts';
import type { CookieSealer } from '../http/sealed-cookie.ts';

/** A sign-in started here and not finished yet, sealed in the browser. */
export interface SealedSignIn {
  pending: PendingSignIn;
  /** The dashboard path to land on afterwards (already checked by `safeReturnTo`). */
  returnTo: `/${string}`;
  /**
   * Set when this sign-in is a step-up inside a session: the session it belongs to (the hash) and
   * the POST to run again once it succeeded.
   */
  resume: { sessionIdHash: string; path: `/${string}`; form: string } | null;
}

const SESSION_KIND = 'elevate-session+jwe';
const SIGN_IN_KIND = 'elevate-sign-in+jwe';
/** Matches the sign-in's own time limit at the provider. */
const SIGN_IN_COOKIE_MAX_AGE_SEC = 600;

/**
 * The dashboard's two cookies, both sealed (see {@link CookieSealer}), HttpOnly and SameSite=Lax:
 * the session (its secret, for the session's lifetime) and a sign-in in progress (ten minutes).
 * Over https they are `__Host-` cookies (Secure, Path=/, no Domain: no sibling host can plant one);
 * on plain http to loopback (a laptop) they cannot be Secure and drop the prefix.
 */
export class SessionCookies {
  private readonly names: { session: string; signIn: string };

  constructor(
    private readonly sealer: CookieSealer,
    private readonly secure: boolean,
  ) {
    this.names = secure ? { session: '__Host-elevate-session', signIn: '__Host-elevate-sign-in' } : { session: 'elevate-session', signIn: 'elevate-sign-in' };
  }

  async readSession(req: IncomingMessage, now: Date): Promise<string | null> {
    const payload = await this.sealer.open(SESSION_KIND, readCookie(req, this.names.session), now);
    return typeof payload?.['sid'] === 'string' ? payload['sid'] : null;
  }

  async session(secret: string, maxAgeSec: number, now: Date): Promise<string> {
    const value = await this.sealer.seal(SESSION_KIND, { sid: secret }, maxAgeSec, now);
    return setCookie(this.names.session, value, { path: '/', maxAgeSec, secure: this.secure });
  }

  clearSession(): string {
    return clearCookie(this.names.session, { path: '/', secure: this.secure });
  }

  async readSignIn(req: IncomingMessage, now: Date): Promise<SealedSignIn | null> {
    const payload = await this.sealer.open(SIGN_IN_KIND, readCookie(req, this.names.signIn), now);
    const signIn = payload?.['signIn'];
    return signIn !== null && typeof signIn === 'object' ? (signIn as SealedSignIn) : null;
  }

  async signIn(signIn: SealedSignIn, now: Date): Promise<string> {
    const value = await this.sealer.seal(SIGN_IN_KIND, { signIn: signIn as unknown as Record<string, unknown> }, SIGN_IN_COOKIE_MAX_AGE_SEC, now);
    return setCookie(this.names.signIn, value, { path: '/', maxAgeSec: SIGN_IN_COOKIE_MAX_AGE_SEC, secure: this.secure });
  }

  clearSignIn(): string {
    return clearCookie(this.names.signIn, { path: '/', secure: this.secure });
  }
}
