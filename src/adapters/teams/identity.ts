import type { ChannelAccount } from 'botbuilder';
import type { Actor } from '../../app/actor.ts';

/**
 * The Teams user id Elevate links to principals (`ChatIdentity { platform: 'teams', userId }`):
 * the Entra ID (AAD) object id, which is the same for a person in every team, chat and tenant
 * region and is what directory exports list. Teams' own `29:…` id is per bot registration and
 * only used when no object id is present (which Teams does not do for people).
 */
export function teamsUserId(from: Partial<ChannelAccount> | undefined): string {
  return (from?.aadObjectId ?? from?.id ?? '').trim();
}

export function teamsActor(from: Partial<ChannelAccount> | undefined): Actor {
  return { platform: 'teams', userId: teamsUserId(from) };
}
