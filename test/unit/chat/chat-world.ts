import { ChatPlatforms } from '../../../src/app/chat/chat-platforms.ts';
import type { ChatDeps } from '../../../src/app/chat/chat-deps.ts';
import { KeyedSerializer } from '../../../src/shared/keyed-serializer.ts';
import { MessageRefreshes } from '../../../src/app/chat/message-refreshes.ts';
import type { ScopeDefinition } from '../../../src/domain/scope.ts';
import { coreHarness, type CoreHarness } from '../../support/core-harness.ts';
import { RecordingChatPlatform } from './recording-chat-platform.ts';

export interface ChatWorld extends CoreHarness {
  deps: ChatDeps;
  slack: RecordingChatPlatform;
  teams: RecordingChatPlatform;
}

/**
 * The core harness (alice requests; bob and carol approve; dave none; erin admin; Slack
 * `C-REVIEWERS` mapped) plus a Teams channel `19:teams-reviewers` mapped to the same scope, and
 * alice linked on Teams too; both platforms recorded.
 */
export async function chatWorld(options: { scope?: Partial<ScopeDefinition> } = {}): Promise<ChatWorld> {
  const core = await coreHarness(options);
  await core.store.transaction(async (tx) => {
    await tx.addChannelMapping({ platform: 'teams', channelId: '19:teams-reviewers', scopeName: 'prod-db-admin' });
    await tx.putIdentity({ platform: 'teams', userId: '29:alice', principalId: 'alice' });
  });
  const slack = new RecordingChatPlatform('slack');
  const teams = new RecordingChatPlatform('teams');
  const platforms = new ChatPlatforms();
  platforms.register(slack);
  platforms.register(teams);
  return { ...core, deps: { ...core, platforms, refreshes: new MessageRefreshes(), notices: new KeyedSerializer() }, slack, teams };
}
