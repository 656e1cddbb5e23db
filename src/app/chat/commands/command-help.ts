import { adminCommandUsages, type CommandDialect } from './chat-command.ts';

/** One line of help: a command as the person types it and what it does. */
export interface HelpLine {
  command: string;
  what: string;
  /** A complete example of the command, when the usage alone would not show it. */
  example?: string;
}

/** What `help` says, in parts; each platform sets it in its own markup. */
export interface CommandHelp {
  /** Follows the product's name: "Elevate gives you …". */
  summary: string;
  lines: HelpLine[];
  /** The admin commands: their short name and how the person types them. */
  adminCommands: { name: string; usage: string }[];
}

/** The one help table: every platform lists the same commands, in the same order, with the same words. */
export function commandHelp(dialect: CommandDialect): CommandHelp {
  const c = dialect.commandPrefix;
  const request = dialect.requestPrefix;
  return {
    summary: 'gives you a short-lived elevated token after an approver says yes.',
    lines: [
      { command: `${request} <scope> <duration> <reason>`, what: 'ask for access', example: `${request} prod-db-admin 1h INC-123 slow queries` },
      { command: request, what: 'the same, in a form that lists the scopes you may request' },
      { command: `${c}list`, what: 'your pending requests and active grants' },
      { command: `${c}done <grant id>`, what: 'end your grant now' },
      { command: `${c}extend <grant id> <duration> [reason]`, what: 'ask for more time on an active grant (reviewed like a request)' },
      { command: `${c}cancel <request id>`, what: 'withdraw a pending request' },
      { command: `${c}verify <request id>`, what: 'a new link to verify with a multi-factor sign-in and receive your token, where the scope asks for it' },
      { command: `${c}break-glass <scope> <duration> <reason>`, what: 'an emergency: access at once without approval where the scope allows it, announced loudly and reviewed afterwards' },
    ],
    adminCommands: adminCommandUsages(dialect).map(({ name, usage }) => ({ name, usage: `${c}${usage}` })),
  };
}

/** Said after the request line's example: the durations the grammar reads. */
export const DURATION_EXAMPLES = '15m, 1h, 1h30m';
