import { addSeconds } from '../../domain/clock.ts';
import { ElevateError } from '../../domain/errors.ts';
import type { Principal } from '../../domain/principal.ts';
import type { AuthenticationEvidence } from '../../domain/step-up.ts';
import type { WebSession } from '../../domain/web-session.ts';
import type { CoreDeps } from '../deps.ts';
import { hashSecret, randomSecret } from '../step-up/secrets.ts';
import type { PendingSignIn } from './begin-sign-in.ts';
import type { SignInSettings } from './sign-in-settings.ts';

export interface CompletedSignIn {
  /** The new session's secret: for the browser's sealed cookie, nowhere else. */
  secret: string;
  session: WebSession;
  principal: Principal;
}

/**
 * Redeems the provider's answer and verifies its ID token (see `PersonAuthenticator.redeem`),
 * then maps `sub` to a principal: a person of the configuration, never a service account. A sign-in
 * always makes a new session with a new secret (so a session id planted before sign-in is worth
 * nothing) and ends the one the browser had, if any.
 */
export async function completeSignIn(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  settings: SignInSettings,
  input: { pending: PendingSignIn; callbackUrl: URL; previousSecret?: string | null },
): Promise<CompletedSignIn> {
  const evidence = await redeemSignIn(settings, input.pending, input.callbackUrl);
  const principal = await deps.store.getPrincipal(evidence.subject);
  if (!principal || principal.kind !== 'human') {
    throw new ElevateError('unknown_identity', `You signed in as ${evidence.subject}, but Elevate does not know this person. Ask an Elevate admin to add you to the configuration.`, {
      details: { reason: principal ? 'service_account' : 'unknown_subject' },
    });
  }
  const now = deps.clock.now();
  const secret = randomSecret();
  const session: WebSession = {
    idHash: hashSecret(secret),
    principalId: principal.id,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: addSeconds(now, settings.limits.absoluteSec),
    endedAt: null,
    evidence,
  };
  await deps.store.transaction(async (tx) => {
    if (input.previousSecret) await tx.endWebSession(hashSecret(input.previousSecret), now);
    await tx.deleteExpiredWebSessions(now);
    await tx.insertWebSession(session);
    await tx.appendAudit({ type: 'web.signed_in', actor: principal.id, data: { acr: evidence.acr, amr: evidence.amr } });
  });
  return { secret, session, principal };
}

/** The sign-in the provider vouches for, checked against what the browser brought back. */
export function redeemSignIn(settings: SignInSettings, pending: PendingSignIn, callbackUrl: URL): Promise<AuthenticationEvidence> {
  return settings.authenticator.redeem({
    callbackUrl,
    redirectUri: settings.redirectUri,
    state: pending.state,
    nonce: pending.nonce,
    codeVerifier: pending.codeVerifier,
    maxAgeSec: pending.maxAgeSec,
  });
}
