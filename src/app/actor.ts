import { ElevateError } from '../domain/errors.ts';
import type { ChatPlatform, Principal } from '../domain/principal.ts';
import type { StoreReader } from '../ports/store.ts';

/**
 * Who is acting: a chat account (resolved through its explicit link) or a principal already
 * authenticated by the HTTP API or the CLI — or matched from a chat account by a weaker rule
 * (`matchedBy`: the account's e-mail address), which the audit trail must show as such.
 */
export type Actor = { platform: ChatPlatform; userId: string } | { principalId: string; via?: AuthenticatedFrontDoor; matchedBy?: ChatMatch };

/**
 * Where an already-authenticated principal acted: the HTTP API (scripts, the CLI), a browser
 * signed in at the OpenID provider (step-up, the dashboard), or directly (tests, tools).
 */
export type AuthenticatedFrontDoor = 'api' | 'web';

/** A chat account that stood in for a principal without an explicit link. */
export interface ChatMatch {
  platform: ChatPlatform;
  userId: string;
  by: 'email';
}

/** True for an actor matched by e-mail rather than linked: such an account gets no private notices. */
export function isMatchedActor(actor: Actor): boolean {
  return 'principalId' in actor && actor.matchedBy !== undefined;
}

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
  if (!('principalId' in actor)) return { via: actor.platform, chatUserId: actor.userId };
  if (actor.matchedBy) return { via: actor.matchedBy.platform, chatUserId: actor.matchedBy.userId, matched_by: actor.matchedBy.by };
  return { via: actor.via ?? 'direct' };
}
