import type { FollowUpLane } from '../../../shared/follow-up-lanes.ts';
import type { ChatCommand } from './chat-command.ts';

/**
 * Which follow-up lane a typed command runs in: ending a grant, cancelling a request and asking
 * for a new verification link act on what exists, like a reviewer's click, so they do not wait
 * behind a burst of new requests.
 */
export function followUpLaneOf(command: ChatCommand): FollowUpLane {
  return command.kind === 'done' || command.kind === 'cancel' || command.kind === 'verify' ? 'decisions' : 'requests';
}
