import type { Grant } from '../../src/domain/grant.ts';
import type { ChannelMapping, ChatIdentity, PostedMessage, Principal } from '../../src/domain/principal.ts';
import type { ElevationRequest } from '../../src/domain/request.ts';
import type { Review } from '../../src/domain/review.ts';
import { EMPTY_POLICY, type ScopeDefinition } from '../../src/domain/scope.ts';

/**
 * Builders for test data: a valid value with every field filled, changed only where a test says
 * what matters to it. Ids that must be unique default to fresh ones; names shared between
 * entities (`prod-db-admin`, `alice`, `bob`) default to the same values so that the defaults fit
 * together: `aRequest()` asks for `aScope()` as `alice`, whom `bob` and `carol` may approve.
 */

/** Monday 2026-03-02 09:00 UTC, inside office hours, so default data passes time-window policies. */
export const T0 = new Date('2026-03-02T09:00:00.000Z');

export function at(offsetSec: number, from: Date = T0): Date {
  return new Date(from.getTime() + offsetSec * 1000);
}

let counter = 0;
/** A fresh id such as `req-7`; unique within the test process. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

export function aScope(overrides: Partial<ScopeDefinition> = {}): ScopeDefinition {
  return {
    name: 'prod-db-admin',
    description: 'Administer the production database',
    oauthScope: 'db:admin',
    audience: 'https://db.example.com',
    defaultDurationSec: 3600,
    maxDurationSec: 4 * 3600,
    pendingTtlSec: 3600,
    approvalsRequired: 1,
    approvers: ['bob', 'carol'],
    requesters: ['*'],
    reasonPattern: null,
    policy: { ...EMPTY_POLICY },
    mfa: null,
    remindAfterSec: null,
    escalation: null,
    extend: null,
    breakGlass: null,
    ...overrides,
  };
}

export function aPrincipal(overrides: Partial<Principal> = {}): Principal {
  const id = overrides.id ?? 'alice';
  return {
    id,
    displayName: id.charAt(0).toUpperCase() + id.slice(1),
    email: `${id}@example.com`,
    kind: 'human',
    isAdmin: false,
    isAuditor: false,
    lastSeenAt: null,
    createdAt: T0,
    ...overrides,
  };
}

export function anIdentity(overrides: Partial<ChatIdentity> = {}): ChatIdentity {
  const principalId = overrides.principalId ?? 'alice';
  return { platform: 'slack', userId: `U-${principalId.toUpperCase()}`, principalId, ...overrides };
}

export function aChannelMapping(overrides: Partial<ChannelMapping> = {}): ChannelMapping {
  return { platform: 'slack', channelId: 'C-REVIEWERS', scopeName: 'prod-db-admin', ...overrides };
}

export function aRequest(overrides: Partial<ElevationRequest> = {}): ElevationRequest {
  const createdAt = overrides.createdAt ?? T0;
  return {
    id: uniqueId('req'),
    scopeName: 'prod-db-admin',
    requesterId: 'alice',
    durationSec: 3600,
    reason: 'INC-1234: investigating slow queries',
    source: 'slack',
    status: 'pending',
    approvalsRequired: 1,
    createdAt,
    pendingUntil: at(3600, createdAt),
    decidedAt: null,
    decisionNote: null,
    requesterAuthentication: null,
    remindedAt: null,
    escalatedAt: null,
    requesterLastSeenAt: null,
    extendsGrantId: null,
    breakGlass: null,
    ...overrides,
  };
}

export function aReview(overrides: Partial<Review> & Pick<Review, 'requestId'>): Review {
  return { approverId: 'bob', decision: 'approve', comment: null, createdAt: at(60), ...overrides };
}

export function aPostedMessage(overrides: Partial<PostedMessage> & Pick<PostedMessage, 'requestId'>): PostedMessage {
  return { platform: 'slack', channelId: 'C-REVIEWERS', messageId: '1700000000.000100', postedAt: at(1), ...overrides };
}

/** An active grant; pass `requestId` of a stored request, since a grant belongs to one. */
export function aGrant(overrides: Partial<Grant> = {}): Grant {
  const startsAt = overrides.startsAt ?? at(120);
  return {
    id: uniqueId('grant'),
    requestId: uniqueId('req'),
    status: 'active',
    startsAt,
    endsAt: at(3600, startsAt),
    asExpiresAt: at(3600, startsAt),
    issuedAt: startsAt,
    tokenSealed: 'v1.sealed-token-bytes',
    tokenType: 'Bearer',
    endReason: null,
    revokedAt: null,
    revocationLagMs: null,
    revokeAttempts: 0,
    nextAttemptAt: null,
    lastError: null,
    ...overrides,
  };
}
