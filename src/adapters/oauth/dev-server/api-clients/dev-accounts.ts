import type { ListDevPrincipals } from '../dev-principals.ts';

/**
 * oidc-provider's `findAccount` over the configuration's people: a sign-in, a device-code
 * redemption and every refresh find the person again, so someone removed from the config can no
 * longer sign in or refresh. Service principals are no accounts: they are clients.
 */
export function findPerson(listPrincipals: ListDevPrincipals) {
  return async (_ctx: unknown, sub: string) => {
    const person = (await listPrincipals()).find((principal) => principal.id === sub && principal.kind === 'human');
    if (person === undefined) return undefined;
    return { accountId: person.id, claims: async () => ({ sub: person.id }) };
  };
}
