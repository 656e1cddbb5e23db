import { listRequestableScopes } from '../../../app/list-requestable-scopes.ts';
import { defineRoute } from '../api-route.ts';
import { presentScope } from '../present.ts';
import { NoQuery, ScopeList } from '../schemas.ts';

export const listScopesRoute = defineRoute({
  method: 'GET',
  path: '/scopes',
  operationId: 'listScopes',
  summary: 'The scopes the caller may request, with their limits and policy in words.',
  authenticated: true,
  query: NoQuery,
  answer: { status: 200, schema: ScopeList, description: 'Requestable scopes, by name.' },
  refusals: [],
  async handle({ deps, actor }) {
    const { scopes } = await listRequestableScopes(deps, actor);
    return { status: 200, json: { scopes: scopes.map(presentScope) } };
  },
});
