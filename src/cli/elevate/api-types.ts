/** The API v1 resources the CLI reads, as the contract describes them (only the fields it uses are relied on). */

export type RequestStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled' | 'auto_approved' | 'auto_denied';
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
}

export interface ApiGrantToken {
  access_token: string;
  token_type: string;
  expires_at: string;
  scope: string;
  audience: string;
  grant_id: string;
}
