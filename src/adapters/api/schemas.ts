import { z } from 'zod';
import { ERROR_CODES } from '../../domain/errors.ts';
import { GRANT_STATUSES } from '../../domain/grant.ts';
import { REQUEST_STATUSES } from '../../domain/request.ts';

/**
 * The API's schemas: request bodies are validated with them, responses are built to them, and
 * the OpenAPI document is generated from them (`openapi.ts`), so there is no second copy to drift.
 * Bodies are strict: an unknown field is refused with its name.
 */
/** The named schemas, which become `components.schemas` of the OpenAPI document. */
export const apiSchemas = z.registry<{ id: string }>();

const text = (max: number) => z.string().max(max, `at most ${max} characters`);

export const CreateRequestBody = z
  .strictObject({
    scope: text(64).min(1, 'name the scope to request').describe('Name of the scope, as GET /api/v1/scopes lists it.'),
    duration: text(16).optional().describe('How long, e.g. 15m, 1h, 1h30m. Omitted: the scope\'s default.'),
    reason: text(500).min(1, 'say why you need this access').describe('Why; some scopes require a pattern such as a ticket number.'),
  })
  .register(apiSchemas, { id: 'CreateRequest' });

export const ExtendGrantBody = z
  .strictObject({
    duration: text(16).optional().describe('How much longer, e.g. 30m. Omitted: the scope\'s default duration. The new grant ends at the old end plus this.'),
    reason: text(500).optional().describe('Why; omitted: the reason of the request the grant was issued for.'),
  })
  .register(apiSchemas, { id: 'ExtendGrant' });

export const BreakGlassBody = z
  .strictObject({
    scope: text(64).min(1, 'name the scope').describe('A scope whose break_glass.allowed is set.'),
    duration: text(16).min(1, 'say how long, e.g. 30m').describe('At most break_glass.max_duration (default the scope\'s max_duration).'),
    reason: text(500).min(1, 'say why: break-glass always needs a reason').describe('Shown in every reviewer and broadcast channel.'),
  })
  .register(apiSchemas, { id: 'BreakGlass' });

export const BreakGlassReviewBody = z.strictObject({ note: text(500).optional() }).register(apiSchemas, { id: 'BreakGlassReview' });

export const ApproveBody = z.strictObject({ comment: text(500).optional() }).register(apiSchemas, { id: 'Approve' });
export const DenyBody = z.strictObject({ reason: text(500).min(1, 'say why you deny it') }).register(apiSchemas, { id: 'Deny' });
export const EmptyBody = z.strictObject({}).register(apiSchemas, { id: 'Empty' });

const instant = z.iso.datetime({ offset: true });

export const GrantSummary = z
  .object({
    id: z.string(),
    status: z.enum(GRANT_STATUSES),
    startsAt: instant,
    endsAt: instant,
    revokedAt: instant.nullable(),
    endReason: z.enum(['expired', 'ended_by_requester', 'revoked_by_reviewer', 'revoked_by_admin', 'extended']).nullable(),
  })
  .register(apiSchemas, { id: 'GrantSummary' });

export const VerificationResource = z
  .object({
    acr_values: z.array(z.string()).describe('What to ask the OpenID provider for (`acr_values`); empty when the scope accepts an `amr` instead.'),
    max_age: z.number().int().describe('The sign-in must be at most this many seconds old (`max_age`).'),
  })
  .describe('What the requester\'s multi-factor sign-in must satisfy: POST /requests/{id}/verification with a token from such a sign-in.')
  .register(apiSchemas, { id: 'Verification' });

export const RequestResource = z
  .object({
    id: z.string(),
    scope: z.string(),
    requester: z.string(),
    requesterKind: z.enum(['human', 'service']),
    duration: z.string(),
    durationSec: z.number().int(),
    reason: z.string(),
    source: z.enum(['slack', 'teams', 'api', 'cli', 'web']),
    status: z.enum(REQUEST_STATUSES),
    approvalsRequired: z.number().int(),
    approvals: z.array(z.string()).describe('Principal ids of the approvers so far, in order.'),
    denials: z.array(z.string()),
    eligibleApprovers: z.array(z.string()),
    createdAt: instant,
    pendingUntil: instant,
    decidedAt: instant.nullable(),
    decisionNote: z.string().nullable(),
    grant: GrantSummary.nullable(),
    extendsGrantId: z.string().nullable().describe('The grant this request extends; null for a new elevation.'),
    breakGlass: z
      .object({
        reviewDueAt: instant,
        remindedAt: instant.nullable(),
        reviewedAt: instant.nullable(),
        reviewedBy: z.string().nullable(),
        verdict: z.enum(['acknowledged', 'flagged']).nullable(),
        note: z.string().nullable(),
      })
      .nullable()
      .describe('For a break-glass request, its after-the-fact review; null otherwise.'),
    verification: VerificationResource.nullable().describe('Set while the status is `verifying` (approved, waiting for the requester\'s multi-factor sign-in before the token is issued).'),
  })
  .register(apiSchemas, { id: 'Request' });

export const GrantResource = GrantSummary.extend({ requestId: z.string(), scope: z.string(), requester: z.string() }).register(apiSchemas, { id: 'Grant' });

export const MfaResource = z
  .object({
    requester: z.boolean().describe('The requester verifies before the token is issued.'),
    approver: z.boolean().describe('Each approver verifies before the approval counts.'),
    max_age: z.number().int().describe('Seconds a sign-in stays fresh enough (`max_age`).'),
    acr_values: z.array(z.string()).describe('Asked for, and accepted as the returned `acr`.'),
    amr: z.array(z.string()).describe('Accepted when the returned `amr` has one of these (RFC 8176).'),
    allow_service_accounts: z.boolean().describe('Service accounts, which cannot verify, may still request the scope.'),
  })
  .register(apiSchemas, { id: 'Mfa' });

export const ScopeResource = z
  .object({
    name: z.string(),
    description: z.string(),
    oauthScope: z.string(),
    audience: z.string(),
    defaultDuration: z.string(),
    maxDuration: z.string(),
    pendingTtl: z.string(),
    approvalsRequired: z.number().int(),
    approvers: z.array(z.string()),
    policy: z.array(z.string()).describe('What policy decides before any human, in words.'),
    mfa: MfaResource.nullable().describe('The scope\'s multi-factor step-up; null when it asks for none.'),
  })
  .register(apiSchemas, { id: 'Scope' });

export const StepUpLinkResource = z
  .object({
    purpose: z.enum(['receive', 'approve']).describe('receive: the requester verifies to get the token; approve: an approver verifies so the approval counts.'),
    url: z.string().describe('The one-time link to open in a browser: a secret, valid once.'),
    expires_at: instant,
  })
  .register(apiSchemas, { id: 'StepUpLink' });

export const TokenResource = z
  .object({
    access_token: z.string(),
    token_type: z.string(),
    expires_at: instant,
    grant_id: z.string(),
    scope: z.string(),
    audience: z.string(),
  })
  .register(apiSchemas, { id: 'Token' });

export const Problem = z
  .object({
    type: z.string().describe('urn:elevate:problem:<code>, stable per code.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(ERROR_CODES),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .register(apiSchemas, { id: 'Problem' });

export const RequestEnvelope = z.object({ request: RequestResource }).register(apiSchemas, { id: 'RequestEnvelope' });
export const RequestList = z.object({ requests: z.array(RequestResource) }).register(apiSchemas, { id: 'RequestList' });
export const GrantEnvelope = z.object({ grant: GrantResource }).register(apiSchemas, { id: 'GrantEnvelope' });
export const GrantList = z.object({ grants: z.array(GrantResource) }).register(apiSchemas, { id: 'GrantList' });
export const ScopeList = z.object({ scopes: z.array(ScopeResource) }).register(apiSchemas, { id: 'ScopeList' });

export const RequestListQuery = z.strictObject({
  status: z.enum(REQUEST_STATUSES).optional(),
  role: z.enum(['requester', 'approver']).optional(),
});
export const RequestQuery = z.strictObject({
  wait: z.coerce.number().int('a whole number of seconds').min(0, '0–60 seconds').max(60, '0–60 seconds').optional(),
});
export const GrantListQuery = z.strictObject({ status: z.enum(GRANT_STATUSES).optional() });
export const AuditQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional().describe('Sequence number to resume after (the last one received).'),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});
export const NoQuery = z.strictObject({});
