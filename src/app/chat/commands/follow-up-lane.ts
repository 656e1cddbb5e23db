import type { FollowUpLane } from '../../../shared/follow-up-lanes.ts';
import type { ChatCommand } from './chat-command.ts';

/**
 * Which follow-up lane a typed command runs in: ending a grant and cancelling a request act on
 * what exists, like a reviewer's click, so they do not wait behind a burst of new requests.
 */
export function followUpLaneOf(command: ChatCommand): FollowUpLane {
  return command.kind === 'done' || command.kind === 'cancel' ? 'decisions' : 'requests';
}
