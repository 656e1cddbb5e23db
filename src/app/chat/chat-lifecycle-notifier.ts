import type { Grant } from '../../domain/grant.ts';
import type { ElevationRequest } from '../../domain/request.ts';
import type { LifecycleNotifier } from '../../ports/lifecycle-notifier.ts';
import { buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { describeFailureForPerson } from './describe-failure.ts';
import { notifyPrincipal } from './notify-principal.ts';
import { publishEscalation } from './publish-escalation.ts';
import { refreshRequestMessages } from './refresh-messages.ts';
import { remindReviewers } from './remind-reviewers.ts';
import { postToChannels } from './publish-request.ts';

/**
 * What the sweeper's changes look like in chat: the approval messages are updated in place on
 * every platform, and the requester is told when their request expired or their grant ended.
 * An overdue revocation only updates the messages (the alert itself goes to the operators' logs).
 */
export class ChatLifecycleNotifier implements LifecycleNotifier {
  constructor(private readonly deps: Pick<ChatDeps, 'store' | 'clock' | 'platforms' | 'logger' | 'refreshes' | 'notices'>) {}

  async requestExpired(request: ElevationRequest): Promise<void> {
    await refreshRequestMessages(this.deps, request.id);
    await notifyPrincipal(this.deps, request.requesterId, { kind: 'request_expired', view: await buildRequestView(this.deps.store, request.id) });
  }

  async requestReminded(request: ElevationRequest): Promise<void> {
    await remindReviewers(this.deps, request.id);
  }

  async requestEscalated(request: ElevationRequest): Promise<void> {
    await publishEscalation(this.deps, request.id);
  }

  async grantEnded(grant: Grant): Promise<void> {
    await refreshRequestMessages(this.deps, grant.requestId);
    // A grant replaced by its extension goes on as the new grant: the requester heard of that one.
    if (grant.endReason === 'extended') return;
    const view = await buildRequestView(this.deps.store, grant.requestId);
    await notifyPrincipal(this.deps, view.request.requesterId, { kind: 'grant_ended', view });
  }

  async revocationOverdue(grant: Grant): Promise<void> {
    await refreshRequestMessages(this.deps, grant.requestId);
  }

  async grantIssued(grant: Grant): Promise<void> {
    await refreshRequestMessages(this.deps, grant.requestId);
    const view = await buildRequestView(this.deps.store, grant.requestId);
    await notifyPrincipal(this.deps, view.request.requesterId, { kind: 'grant_issued', view });
  }

  /** A reminder is a new message in the scope's reviewer channels, showing the review as overdue. */
  async breakGlassReviewOverdue(request: ElevationRequest): Promise<void> {
    const mappings = await this.deps.store.listChannelMappings({ scopeName: request.scopeName });
    await postToChannels(this.deps, request.id, mappings.map((m) => ({ platform: m.platform, channelId: m.channelId })));
  }

  async grantIssueFailed(requestId: string, error: unknown): Promise<void> {
    await refreshRequestMessages(this.deps, requestId);
    const view = await buildRequestView(this.deps.store, requestId);
    const reason = error === null ? 'The approved window passed before the token could be issued; please request again.' : describeFailureForPerson(error);
    await notifyPrincipal(this.deps, view.request.requesterId, { kind: 'grant_failed', view, reason });
  }
}
