import type { VerifiedAccessToken } from '../../../ports/access-token-verifier.ts';
import type { TokenIntrospection } from '../../../ports/token-issuer.ts';
import { refusal } from './refusal.ts';

export interface IntrospectionRules {
  issuer: string;
  audience: string;
  clientClaim: string;
  now: () => Date;
}

/**
 * Reads an RFC 7662 answer as an API token check: active, meant for this API (`aud`, required:
 * an elevated token minted for a database must not open the API), from this issuer when it says,
 * and not past `exp`.
 */
export function acceptIntrospection(answer: TokenIntrospection, rules: IntrospectionRules): VerifiedAccessToken {
  if (!answer.active) throw refusal('inactive', 'the authorization server reports the token inactive');
  const audiences = typeof answer.aud === 'string' ? [answer.aud] : Array.isArray(answer.aud) ? answer.aud : [];
  if (!audiences.includes(rules.audience)) throw refusal('wrong_audience', 'the token is not meant for this API');
  const { active: _active, sub, aud: _aud, exp, clientId, iss, ...claims } = answer;
  if (iss !== undefined && iss !== rules.issuer) throw refusal('wrong_issuer', 'the token names another issuer');
  if (typeof exp === 'number' && exp * 1000 <= rules.now().getTime()) throw refusal('expired', 'the token has expired');
  const client = rules.clientClaim === 'client_id' ? clientId : claims[rules.clientClaim];
  return {
    subject: typeof sub === 'string' && sub !== '' ? sub : null,
    clientId: typeof client === 'string' && client !== '' ? client : null,
    expiresAt: typeof exp === 'number' ? new Date(exp * 1000) : null,
    checkedBy: 'introspection',
    claims,
  };
}
