import { ElevateError } from '../domain/errors.ts';
import type { ChatPlatform, Principal } from '../domain/principal.ts';
import type { StoreReader } from '../ports/store.ts';

/**
 * Who is acting: a chat account (resolved through its explicit link) or a principal already
 * authenticated by the HTTP API or the CLI.
 */
export type Actor = { platform: ChatPlatform; userId: string } | { principalId: string; via?: AuthenticatedFrontDoor };

/** Where an already-authenticated principal acted: the HTTP API (scripts, the CLI), or directly (tests, tools). */
export type AuthenticatedFrontDoor = 'api';

export async function resolveActor(store: StoreReader, actor: Actor): Promise<Principal> {
  if ('principalId' in actor) {
    const principal = await store.getPrincipal(actor.principalId);
    if (!principal) {
      throw new ElevateError('unknown_identity', `No principal named ${actor.principalId} exists.`, {
        details: { principalId: actor.principalId },
      });
    }
    return principal;
  }
  const principal = await store.findPrincipalByIdentity(actor.platform, actor.userId);
  if (!principal) {
    throw new ElevateError(
      'unknown_identity',
      `Your ${platformName(actor.platform)} account is not linked to an Elevate identity. Ask an admin to link user ${actor.userId}.`,
      { details: { platform: actor.platform, userId: actor.userId } },
    );
  }
  return principal;
}

export function platformName(platform: ChatPlatform): string {
  return platform === 'slack' ? 'Slack' : 'Microsoft Teams';
}

/** Adds the principal and, for chat actors, the platform identity to audit data. */
export function describeActor(actor: Actor): Record<string, string> {
  return 'principalId' in actor ? { via: actor.via ?? 'direct' } : { via: actor.platform, chatUserId: actor.userId };
}
