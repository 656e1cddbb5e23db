/**
 * The platform-neutral chat flows: what happens around the core use cases when people act in a
 * chat tool. Chat adapters (Slack, Teams) call these and implement `ChatPlatformPort`; nothing
 * here knows which platform is on the other side.
 */
export { ChatPlatforms } from './chat-platforms.ts';
export type { ChatDeps } from './chat-deps.ts';
export { KeyedSerializer } from '../../shared/keyed-serializer.ts';
export { MessageRefreshes } from './message-refreshes.ts';
export { buildRequestView } from './build-request-view.ts';
export { describeFailureForPerson } from './describe-failure.ts';
export { publishRequest, type PublishResult } from './publish-request.ts';
export { refreshRequestMessages } from './refresh-messages.ts';
export { notifyPrincipal } from './notify-principal.ts';
export { submitRequest, submitRequestIdempotently, type IdempotentSubmitOutcome, type SubmitResult } from './submit-request.ts';
export { decideRequest } from './decide-request.ts';
export { checkMayReview } from './check-may-review.ts';
export { issueAndDeliver } from './issue-and-deliver.ts';
export { endGrantFromChat } from './end-grant-from-chat.ts';
export { cancelFromChat } from './cancel-from-chat.ts';
export { revealToken, type RevealedToken } from './reveal-token.ts';
export { listMyElevations, type MyElevations } from './my-elevations.ts';
export { mapChannel, unmapChannel, unmapChannelScopes, type MappingChange } from './map-channel.ts';
export { listMappingsAsAdmin, listScopesAsAdmin } from './admin-catalogue.ts';
export { findUnreachableScopes, type UnreachableScope } from './unreachable-reviewer-channels.ts';
export { ChatLifecycleNotifier } from './chat-lifecycle-notifier.ts';
export { StoredConversationReferences } from './stored-conversation-references.ts';
export { parseChatCommand, adminCommandUsages, type ChatCommand, type CommandDialect } from './commands/chat-command.ts';
export { commandHelp, type CommandHelp, type HelpLine } from './commands/command-help.ts';
export type { Part, Phrase, Icon } from './phrases/parts.ts';
export { statePhrase } from './phrases/state-phrase.ts';
export { noticePhrase, noticeSummary, type NoticePhrase } from './phrases/notice-phrase.ts';
export { endGrantPhrase } from './phrases/end-grant-phrase.ts';
export { requestFormProblem, type RequestFormField, type RequestFormProblem } from './request-form-problem.ts';
export { requestFormScopes } from './request-form-scopes.ts';
