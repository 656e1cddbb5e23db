/** Verbs of the cards' `Action.Execute` actions and `data.verb` of `Action.Submit`s, shared by renderers and handlers. */
export const VERBS = {
  approve: 'elevate.approve',
  deny: 'elevate.deny',
  revoke: 'elevate.revoke',
  endGrant: 'elevate.end',
  extendGrant: 'elevate.extend',
  acknowledgeBreakGlass: 'elevate.break_glass.ack',
  flagBreakGlass: 'elevate.break_glass.flag',
  request: 'elevate.request',
  revealToken: 'elevate.reveal',
  requestAgain: 'elevate.request_again',
} as const;

export const DENY_COMMENT_INPUT = 'comment';
export const REQUEST_INPUTS = { scope: 'scope', duration: 'duration', reason: 'reason' } as const;
