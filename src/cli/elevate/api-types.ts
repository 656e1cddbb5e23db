/** The API v1 resources the CLI reads, as the contract describes them (only the fields it uses are relied on). */

/** `verifying`: approved (by reviewers or policy), waiting for the requester's multi-factor verification before the token is issued. */
export type RequestStatus = 'pending' | 'verifying' | 'approved' | 'denied' | 'expired' | 'cancelled' | 'auto_approved' | 'auto_denied';
export type GrantStatus = 'issuing' | 'active' | 'revoking' | 'revoked' | 'issue_failed';

export interface ApiRequest {
  id: string;
  scope: string;
  requester: string;
  duration: string;
  durationSec: number;
  reason: string;
  source: string;
  status: RequestStatus;
  approvalsRequired: number;
  approvals: string[];
  denials: string[];
  eligibleApprovers: string[];
  createdAt: string;
  pendingUntil: string;
  decidedAt: string | null;
  decisionNote: string | null;
  grant: { id: string; status: GrantStatus; startsAt: string; endsAt: string; endedAt: string | null } | null;
  /** Set while `verifying`: what the requester's sign-in must satisfy (RFC 9470 names). Absent from older servers. */
  verification?: { acr_values: string[]; max_age: number } | null;
}

export interface ApiGrant {
  id: string;
  requestId: string;
  scope: string;
  requester: string;
  status: GrantStatus;
  startsAt: string;
  endsAt: string;
  revokedAt: string | null;
  endReason: string | null;
}

export interface ApiScope {
  name: string;
  description: string;
  audience: string;
  oauthScope: string;
  defaultDuration: string;
  maxDuration: string;
  pendingTtl: string;
  approvalsRequired: number;
  approvers: string[];
  policy: string[];
  /** The scope's multi-factor step-up, null when it has none. Absent from older servers. */
  mfa?: { requester: boolean; approver: boolean; max_age: number; acr_values: string[]; amr: string[]; allow_service_accounts: boolean } | null;
}

export interface ApiGrantToken {
  access_token: string;
  token_type: string;
  expires_at: string;
  scope: string;
  audience: string;
  grant_id: string;
}
