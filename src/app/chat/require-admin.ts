import { ElevateError } from '../../domain/errors.ts';
import type { Principal } from '../../domain/principal.ts';
import type { StoreReader } from '../../ports/store.ts';
import { resolveActor, type Actor } from '../actor.ts';

/** Resolves the actor and refuses anyone who is not an admin. */
export async function requireAdmin(store: StoreReader, actor: Actor): Promise<Principal> {
  const person = await resolveActor(store, actor);
  if (!person.isAdmin) {
    throw new ElevateError('forbidden', 'Only Elevate admins can change or list reviewer channels.', { details: { actor: person.id } });
  }
  return person;
}
