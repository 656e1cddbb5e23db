import { commandHelp, DURATION_EXAMPLES } from '../../../app/chat/commands/command-help.ts';
import { TEAMS_DIALECT } from './parse-command.ts';

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

/** What `help` says in the 1:1 chat: the one help table, in Teams markdown. */
export function teamsHelpText(): string {
  const help = commandHelp(TEAMS_DIALECT);
  const admin = help.adminCommands.map(({ usage }) => `\`${usage}\``);
  return [
    `**Elevate** ${help.summary} In this chat:`,
    ...help.lines.map((line) => `- \`${line.command}\` — ${line.what}${line.example ? `, e.g. \`${line.example}\` (durations: ${DURATION_EXAMPLES})` : ''}`),
    `In a reviewer channel, admins mention me with ${admin.slice(0, -1).join(', ')} or ${admin.at(-1)}.`,
  ].join('\n');
}
