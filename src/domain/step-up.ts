import { formatDuration } from './duration.ts';

/**
 * Multi-factor step-up of one scope: whether its requester must verify before the token is
 * issued, whether its approvers must before their approval counts, and what counts as verified.
 */
export interface MfaPolicy {
  requester: boolean;
  approver: boolean;
  /** The verification must be at most this old (OpenID Connect `max_age`, `auth_time` checked). */
  maxAgeSec: number;
  /** Asked for as `acr_values`, and accepted when the returned `acr` is one of them. */
  acrValues: string[];
  /** Accepted when the returned `amr` (RFC 8176) has one of these. */
  amr: string[];
  /** A service principal cannot verify: scopes that need requester MFA refuse it unless this is set. */
  allowServiceAccounts: boolean;
}

export const DEFAULT_MFA_MAX_AGE_SEC = 300;
export const DEFAULT_MFA_AMR: readonly string[] = Object.freeze(['mfa']);
export const MAX_MFA_MAX_AGE_SEC = 24 * 3600;

/** What an OpenID provider said about one sign-in: an ID token's or an access token's claims. */
export interface AuthenticationEvidence {
  /** `sub`: whom the provider authenticated. */
  subject: string;
  acr: string | null;
  amr: string[];
  /** `auth_time`: when the person actually authenticated. */
  authTime: Date;
}

export type AuthenticationCheck = { ok: true } | { ok: false; problem: 'missing' | 'stale' | 'insufficient'; message: string };

/** What to ask the provider for: the RFC 9470 challenge's parameters. */
export interface StepUpChallenge {
  acrValues: string[];
  maxAgeSec: number;
}

export function stepUpChallenge(policy: MfaPolicy): StepUpChallenge {
  return { acrValues: [...policy.acrValues], maxAgeSec: policy.maxAgeSec };
}

/** True when the scope needs its requester to verify before issuance, for a requester of this kind. */
export function requesterMustVerify(policy: MfaPolicy | null, requesterKind: 'human' | 'service'): policy is MfaPolicy {
  return policy !== null && policy.requester && requesterKind === 'human';
}

/**
 * Whether a sign-in satisfies a scope's policy now: an accepted `acr` or `amr`, and an `auth_time`
 * no older than `max_age` (a time in the future, beyond a minute of clock skew, is refused too).
 */
export function checkAuthentication(policy: MfaPolicy, evidence: AuthenticationEvidence | null, now: Date): AuthenticationCheck {
  if (evidence === null) return { ok: false, problem: 'missing', message: 'No multi-factor sign-in is on record.' };
  const ageSec = (now.getTime() - evidence.authTime.getTime()) / 1000;
  if (ageSec > policy.maxAgeSec || ageSec < -60) {
    return { ok: false, problem: 'stale', message: `The sign-in is older than ${formatDuration(policy.maxAgeSec)}; sign in again.` };
  }
  const acrAccepted = evidence.acr !== null && policy.acrValues.includes(evidence.acr);
  const amrAccepted = evidence.amr.some((method) => policy.amr.includes(method));
  if (!acrAccepted && !amrAccepted) {
    return { ok: false, problem: 'insufficient', message: `The sign-in did not use an accepted method (${describeAccepted(policy)}).` };
  }
  return { ok: true };
}

/** The accepted methods in words, for messages and `config plan`. */
export function describeAccepted(policy: Pick<MfaPolicy, 'acrValues' | 'amr'>): string {
  const parts = [
    ...(policy.acrValues.length > 0 ? [`acr ${policy.acrValues.join(' or ')}`] : []),
    ...(policy.amr.length > 0 ? [`amr ${policy.amr.join(' or ')}`] : []),
  ];
  return parts.join(', or ');
}

/** The claims of a verification that go into audit records and the subject assertion. */
export function describeEvidence(evidence: AuthenticationEvidence): { acr: string | null; amr: string[]; auth_time: number } {
  return { acr: evidence.acr, amr: [...evidence.amr], auth_time: Math.floor(evidence.authTime.getTime() / 1000) };
}
