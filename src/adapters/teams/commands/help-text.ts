/** The command list, as `help` says it and as the manifest's command list declares it. */
export const TEAMS_PERSONAL_COMMANDS = [
  { title: 'elevate', description: 'elevate <scope> <duration> <reason> — ask for access; alone, opens a form' },
  { title: 'list', description: 'Your pending requests and active grants' },
  { title: 'done', description: 'done <grant id> — end your grant now' },
  { title: 'cancel', description: 'cancel <request id> — withdraw a pending request' },
  { title: 'help', description: 'What Elevate can do' },
] as const;

export const TEAMS_CHANNEL_COMMANDS = [
  { title: 'admin map', description: 'admin map <scope> — send this scope’s requests to this channel (admins)' },
  { title: 'admin unmap', description: 'admin unmap [<scope>] — stop sending requests here (admins)' },
  { title: 'admin mappings', description: 'List every reviewer channel (admins)' },
] as const;

export function teamsHelpText(): string {
  return [
    '**Elevate** gives you a short-lived elevated token after an approver says yes. In this chat:',
    '- `elevate <scope> <duration> <reason>` — ask for access, e.g. `elevate prod-db-admin 1h INC-123 slow queries` (durations: 15m, 1h, 1h30m)',
    '- `elevate` — the same, in a form that lists the scopes you may request',
    '- `list` — your pending requests and active grants',
    '- `done <grant id>` — end your grant now',
    '- `cancel <request id>` — withdraw a pending request',
    'In a reviewer channel, admins mention me with `admin map <scope>`, `admin unmap [<scope>]` or `admin mappings`.',
  ].join('\n');
}
