import type { StepUpPurpose, StepUpTicket } from '../../domain/step-up-ticket.ts';
import type { CoreDeps } from '../deps.ts';
import { codeChallengeOf, hashSecret, randomSecret } from './secrets.ts';
import { requireStepUp, type StepUpSettings } from './step-up-settings.ts';
import { findStepUpTarget, refused, type StepUpTarget } from './ticket-target.ts';

type StepUpDeps = Pick<CoreDeps, 'store' | 'clock'> & { stepUp?: StepUpSettings };

/** What a link's page shows before anything happens: whose it is and what for. */
export interface StepUpPreview {
  purpose: StepUpPurpose;
  principalId: string;
  requestId: string;
  scopeName: string;
  expiresAt: Date;
}

export interface BeganStepUp {
  /** Where to send the browser: the OpenID provider's sign-in. */
  authorizationUrl: URL;
  /** Keep this in the browser (a cookie): the callback must present it. */
  binding: string;
  purpose: StepUpPurpose;
  requestId: string;
  expiresAt: Date;
}

/** Reads a link without using it (a GET, a chat's link preview): refused when it could not be used now. */
export async function previewStepUp(deps: StepUpDeps, ticket: string): Promise<StepUpPreview> {
  const { found, target } = await usableTicket(deps, ticket);
  return { purpose: found.purpose, principalId: found.principalId, requestId: found.requestId, scopeName: target.scope.name, expiresAt: found.expiresAt };
}

/**
 * Follows a link: the sign-in's `state`, `nonce`, PKCE verifier and browser binding are made
 * and written onto the ticket in one compare-and-set, so a link starts one sign-in, once, on
 * whatever instance. The provider is asked for a fresh login (`prompt=login`, `max_age`) at the
 * scope's level (`acr_values`).
 */
export async function beginStepUp(deps: StepUpDeps, ticket: string): Promise<BeganStepUp> {
  const settings = requireStepUp(deps.stepUp);
  const { found, target } = await usableTicket(deps, ticket);
  const state = randomSecret();
  const nonce = randomSecret();
  const codeVerifier = randomSecret();
  const binding = randomSecret();
  // Built before the ticket is taken: a provider not reachable yet leaves the link usable.
  const authorizationUrl = settings.authenticator.authorizationUrl({
    redirectUri: settings.redirectUri,
    state,
    nonce,
    codeChallenge: codeChallengeOf(codeVerifier),
    acrValues: target.mfa.acrValues,
    maxAgeSec: target.mfa.maxAgeSec,
  });
  const startedAt = deps.clock.now();
  const started = await deps.store.transaction(async (tx) => {
    if (!(await tx.startStepUpTicket(found.idHash, { startedAt, stateHash: hashSecret(state), bindingHash: hashSecret(binding), nonce, codeVerifier }))) return false;
    await tx.appendAudit({ type: 'step_up.started', actor: found.principalId, requestId: found.requestId, data: { purpose: found.purpose } });
    return true;
  });
  if (!started) throw refused('This link was used already. Ask for a new one.', { requestId: found.requestId });
  return { authorizationUrl, binding, purpose: found.purpose, requestId: found.requestId, expiresAt: found.expiresAt };
}

async function usableTicket(deps: StepUpDeps, ticket: string): Promise<{ found: StepUpTicket; target: StepUpTarget }> {
  const found = /^[A-Za-z0-9_-]{43}$/.test(ticket) ? await deps.store.getStepUpTicket(hashSecret(ticket)) : null;
  if (!found) throw refused('This link is not valid. Ask for a new one.');
  const now = deps.clock.now();
  if (found.startedAt !== null) throw refused('This link was used already. Ask for a new one.', { requestId: found.requestId });
  if (found.expiresAt.getTime() <= now.getTime()) throw refused('This link has expired (links work for 10 minutes). Ask for a new one.', { requestId: found.requestId });
  const target = await findStepUpTarget(deps.store, found.purpose, found.requestId, found.principalId, now);
  return { found, target };
}
