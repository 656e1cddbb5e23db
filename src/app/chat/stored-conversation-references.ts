import type { ChatPlatform } from '../../domain/principal.ts';
import type { ConversationReferenceRecord, ConversationReferences } from '../../ports/conversation-references.ts';
import type { Store } from '../../ports/store.ts';

/**
 * Conversation references kept in the store, so a restarted instance (or another instance
 * behind the same load balancer) can still post approval cards to Teams channels and reach
 * people in their 1:1 chats.
 */
export class StoredConversationReferences implements ConversationReferences {
  constructor(private readonly store: Store) {}

  put(record: ConversationReferenceRecord): Promise<void> {
    return this.store.transaction((tx) => tx.putConversationReference(record));
  }

  get(platform: ChatPlatform, kind: ConversationReferenceRecord['kind'], key: string): Promise<ConversationReferenceRecord | null> {
    return this.store.getConversationReference(platform, kind, key);
  }

  remove(platform: ChatPlatform, kind: ConversationReferenceRecord['kind'], key: string): Promise<boolean> {
    return this.store.transaction((tx) => tx.removeConversationReference(platform, kind, key));
  }
}
