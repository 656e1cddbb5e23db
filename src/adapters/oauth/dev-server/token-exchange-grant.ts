import { errors, type GrantTypeHandler, type IssuableToken, type ParamValue, type Provider } from 'oidc-provider';
import type { Logger } from '../../../logging/logger.ts';
import type { JwksDocument } from '../keys/public-jwk.ts';
import { ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE } from '../token-types.ts';
import type { ReplayGuard } from './replay-guard.ts';
import { resolveTarget, type ListScopes } from './scope-catalogue.ts';
import { verifyBotAssertion } from './verify-bot-assertion.ts';

export const TOKEN_EXCHANGE_PARAMETERS = [
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'audience',
  'resource',
  'scope',
];
/** RFC 8693 §2.1 allows several `audience` and `resource` values (this AS then accepts one). */
export const TOKEN_EXCHANGE_DUPLICATES = ['audience', 'resource'];

/** Claims recorded with each exchanged token and shown by introspection. */
export interface DelegationClaims {
  act: { sub: string; iss: string };
  approvers: string[];
  grant_id?: string;
  elevate_scope?: string;
}

export interface TokenExchangeGrantDeps {
  provider: Provider;
  botAssertionIssuer: string;
  botPublicJwks: () => JwksDocument | Promise<JwksDocument>;
  listScopes: ListScopes;
  replay: ReplayGuard;
  /** Longest lifetime of any token; the approved window usually ends sooner. */
  maxTtlSec: number;
  /** Where the handler leaves the delegation claims for `extraTokenClaims` to pick up. */
  delegation: WeakMap<IssuableToken, DelegationClaims>;
  logger: Logger;
}

/**
 * The RFC 8693 grant of the development AS, for Elevate's bot only: the subject token names the
 * requester, the actor token names the bot (which must be the authenticated client) and carries
 * the approvers and the end of the approved window. The issued access token is opaque, its `sub`
 * is the requester, its audience and scope come from a scope definition, and its lifetime never
 * passes the end of the window.
 */
export function tokenExchangeGrant(deps: TokenExchangeGrantDeps): GrantTypeHandler {
  return async (ctx) => {
    const { params, client } = ctx.oidc;
    const subjectToken = requireString(params['subject_token'], 'subject_token');
    requireValue(params['subject_token_type'], JWT_TOKEN_TYPE, 'subject_token_type');
    // This AS records delegation, so the actor (the bot, with the approvers) is mandatory here.
    const actorToken = requireString(params['actor_token'], 'actor_token');
    requireValue(params['actor_token_type'], JWT_TOKEN_TYPE, 'actor_token_type');
    if (params['requested_token_type'] !== undefined) requireValue(params['requested_token_type'], ACCESS_TOKEN_TYPE, 'requested_token_type');

    const nowSec = Math.floor(Date.now() / 1000);
    const expected = {
      jwks: { keys: [...(await deps.botPublicJwks()).keys] },
      issuer: deps.botAssertionIssuer,
      audience: deps.provider.issuer,
      replay: deps.replay,
      nowSec,
    };
    const subject = await verifyBotAssertion(subjectToken, 'subject_token', expected);
    const actor = await verifyBotAssertion(actorToken, 'actor_token', expected);
    if (actor.sub !== client.clientId) throw new errors.InvalidRequest('actor_token must name the authenticated client as its subject');
    const approvers = actor['approvers'];
    if (!Array.isArray(approvers) || approvers.length === 0 || !approvers.every((id) => typeof id === 'string')) {
      throw new errors.InvalidRequest('actor_token must list the approvers');
    }
    const windowEndsAt = actor['window_ends_at'];
    if (typeof windowEndsAt !== 'number') throw new errors.InvalidRequest('actor_token must carry window_ends_at');
    if (windowEndsAt <= nowSec) throw new errors.InvalidRequest('the approved window has already ended');

    const target = resolveTarget(await deps.listScopes(), { scope: params['scope'], audience: params['audience'], resource: params['resource'] }, { audienceRequired: true });
    const ttl = Math.min(deps.maxTtlSec, windowEndsAt - nowSec);
    const token = new deps.provider.AccessToken({ client, accountId: subject.sub, scope: target.scope, expiresIn: ttl });
    if (target.audience !== null) token.setAudience(target.audience);
    deps.delegation.set(token, {
      act: { sub: actor.sub, iss: deps.botAssertionIssuer },
      approvers: approvers as string[],
      ...(typeof actor['grant_id'] === 'string' ? { grant_id: actor['grant_id'] } : {}),
      ...(typeof actor['elevate_scope'] === 'string' ? { elevate_scope: actor['elevate_scope'] } : {}),
    });
    ctx.oidc.entity('AccessToken', token);
    const value = await token.save();
    deps.logger.info(
      { client_id: client.clientId, sub: subject.sub, scope: target.scope, audience: target.audience, expires_in: ttl, approvers: approvers.length },
      'development AS issued a token by token exchange',
    );
    ctx.body = { access_token: value, issued_token_type: ACCESS_TOKEN_TYPE, token_type: token.tokenType, expires_in: ttl, scope: target.scope };
  };
}

function requireString(value: ParamValue, name: string): string {
  if (typeof value !== 'string' || value === '') throw new errors.InvalidRequest(`${name} is required`);
  return value;
}

function requireValue(value: ParamValue, expected: string, name: string): void {
  if (requireString(value, name) !== expected) throw new errors.InvalidRequest(`${name} must be ${expected}`);
}
