/** Ids of the interactive elements and views, shared by the renderers and the Bolt listeners. */
export const ACTIONS = {
  approve: 'elevate_approve',
  deny: 'elevate_deny',
  revoke: 'elevate_revoke',
  revealToken: 'elevate_reveal_token',
  endGrant: 'elevate_end_grant',
  /** A button that only opens a URL (a step-up link): acknowledged, nothing else. */
  openLink: 'elevate_open_link',
  requestAgain: 'elevate_request_again',
  extendGrant: 'elevate_extend_grant',
  acknowledgeBreakGlass: 'elevate_break_glass_ack',
  flagBreakGlass: 'elevate_break_glass_flag',
} as const;

export const VIEWS = {
  denyReason: 'elevate_deny_reason',
  requestForm: 'elevate_request_form',
} as const;
