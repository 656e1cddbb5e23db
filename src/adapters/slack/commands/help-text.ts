import { commandHelp, DURATION_EXAMPLES } from '../../../app/chat/commands/command-help.ts';
import { slackDialect } from './parse-command.ts';

/** What `/elevate help` says: the one help table, in Slack mrkdwn. */
export function helpText(command: string): string {
  const help = commandHelp(slackDialect(command));
  const [map, ...otherAdmin] = help.adminCommands;
  return [
    `*Elevate* ${help.summary}`,
    ...help.lines.map((line) => `• \`${line.command}\` — ${line.what}${line.example ? `, e.g. \`${line.example}\` (durations: ${DURATION_EXAMPLES})` : ''}`),
    `• \`${map!.usage}\`, ${otherAdmin.map(({ name }) => `\`${name}\``).join(', ')} — reviewer channels (admins)`,
  ].join('\n');
}
