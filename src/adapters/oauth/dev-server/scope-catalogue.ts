import { errors, type ParamValue } from 'oidc-provider';

/** What the development AS needs to know of a scope definition. */
export interface DevScopeDefinition {
  name: string;
  oauthScope: string;
  audience: string;
}

export type ListScopes = () => Promise<ReadonlyArray<DevScopeDefinition>>;

export interface ResolvedTarget {
  scope: string;
  audience: string | null;
}

/**
 * Decides what a token may be for, from Elevate's scope definitions only: exactly one audience
 * (from `audience` and/or `resource`, RFC 8693 §2.1) that some definition names, and scope values
 * that definitions grant at that audience. Anything else is refused with RFC 8693's errors.
 */
export function resolveTarget(
  definitions: ReadonlyArray<DevScopeDefinition>,
  requested: { scope: ParamValue; audience: ParamValue; resource: ParamValue },
  options: { audienceRequired: boolean },
): ResolvedTarget {
  const audiences = [...new Set([...values(requested.audience), ...values(requested.resource)])];
  if (audiences.length > 1) throw new errors.InvalidTarget('exactly one audience or resource is supported');
  const audience = audiences[0] ?? null;
  if (audience === null && options.audienceRequired) throw new errors.InvalidTarget('an audience (or resource) is required');
  const matching = definitions.filter((definition) => audience === null || definition.audience === audience);
  if (audience !== null && matching.length === 0) throw new errors.InvalidTarget(`no scope definition has the audience ${audience}`);

  const scopeText = typeof requested.scope === 'string' ? requested.scope.trim() : '';
  const scopes = scopeText.split(/\s+/).filter((value) => value !== '');
  if (scopes.length === 0) throw new errors.InvalidScope('scope is required');
  const allowed = new Set(matching.flatMap((definition) => definition.oauthScope.split(/\s+/)));
  const refused = scopes.find((value) => !allowed.has(value));
  if (refused !== undefined) {
    throw new errors.InvalidScope(audience === null ? `scope ${refused} is not in any scope definition` : `scope ${refused} is not defined for the audience ${audience}`, refused);
  }
  return { scope: [...new Set(scopes)].join(' '), audience };
}

function values(value: ParamValue): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== '');
}
