import type * as Rows from '../../../generated/prisma/client.ts';
import { Prisma } from '../../../generated/prisma/client.ts';

/**
 * Select lists for the statements written as SQL, naming each column as the Prisma model names
 * its field, so the rows they return read through the same `map.*FromRow` as Prisma's own. Each
 * list is typed by its model: a field added to the schema and not here fails to compile.
 */
type ColumnOf<Row> = { [K in keyof Row]-?: string };

/** `table`: the alias the statement gives the table, to qualify every column with. */
function selectList<Row>(columns: ColumnOf<Row>, table?: string): Prisma.Sql {
  return Prisma.raw(Object.entries(columns).map(([field, column]) => `${table ? `${table}.` : ''}${column as string} AS "${field}"`).join(', '));
}

/** Every column of `principals`, qualified by the alias `p`; enums as text. */
export const PRINCIPAL_COLUMNS_OF_P = selectList<Rows.Principal>(
  {
    id: 'id',
    displayName: 'display_name',
    email: 'email',
    kind: 'kind::text',
    isAdmin: 'is_admin',
    isAuditor: 'is_auditor',
    lastSeenAt: 'last_seen_at',
    createdAt: 'created_at',
  },
  'p',
);

/** Every column of `grants`; enums as text. */
export const GRANT_COLUMNS = selectList<Rows.Grant>({
  id: 'id',
  requestId: 'request_id',
  status: 'status::text',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  asExpiresAt: 'as_expires_at',
  issuedAt: 'issued_at',
  tokenSealed: 'token_sealed',
  tokenType: 'token_type',
  endReason: 'end_reason::text',
  revokedAt: 'revoked_at',
  revocationLagMs: 'revocation_lag_ms',
  revokeAttempts: 'revoke_attempts',
  nextAttemptAt: 'next_attempt_at',
  lastError: 'last_error',
});

/** Every column of `elevation_requests`; enums as text. */
export const REQUEST_COLUMNS = selectList<Rows.ElevationRequest>({
  id: 'id',
  scopeName: 'scope_name',
  requesterId: 'requester_id',
  durationSec: 'duration_sec',
  reason: 'reason',
  source: 'source::text',
  status: 'status::text',
  approvalsRequired: 'approvals_required',
  createdAt: 'created_at',
  pendingUntil: 'pending_until',
  decidedAt: 'decided_at',
  decisionNote: 'decision_note',
  requesterAuthentication: 'requester_authentication',
  remindedAt: 'reminded_at',
  escalatedAt: 'escalated_at',
  requesterLastSeenAt: 'requester_last_seen_at',
  extendsGrantId: 'extends_grant_id',
  breakGlassDueAt: 'break_glass_due_at',
  breakGlassRemindedAt: 'break_glass_reminded_at',
  breakGlassReviewedAt: 'break_glass_reviewed_at',
  breakGlassReviewedBy: 'break_glass_reviewed_by',
  breakGlassVerdict: 'break_glass_verdict',
  breakGlassNote: 'break_glass_note',
});
