import type { ChatPlatform } from '../../domain/principal.ts';
import type { ChatPlatformPort } from '../../ports/chat-platform.ts';

/**
 * The chat platforms configured in this process. Built empty and filled by the composition root,
 * because each adapter needs the whole set (a decision on Slack updates the Teams card too) and
 * is itself a member of it.
 */
export class ChatPlatforms {
  private readonly byName = new Map<ChatPlatform, ChatPlatformPort>();

  register(port: ChatPlatformPort): void {
    if (this.byName.has(port.platform)) throw new Error(`chat platform ${port.platform} is already registered`);
    this.byName.set(port.platform, port);
  }

  get(platform: ChatPlatform): ChatPlatformPort | undefined {
    return this.byName.get(platform);
  }

  all(): ChatPlatformPort[] {
    return [...this.byName.values()];
  }
}
