/**
 * What a chat message or slash command asks Elevate for. Parsing is syntax only; the core checks
 * meaning. One grammar for every platform (see {@link parseChatCommand}); a platform supplies
 * only how commands are written there ({@link CommandDialect}) and strips its own mention markup.
 */
export type ChatCommand =
  | { kind: 'open_form' }
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'done'; grantId: string }
  | { kind: 'cancel'; requestId: string }
  /** A new one-time multi-factor verification link for the requester of a request waiting for it. */
  | { kind: 'verify'; requestId: string }
  /** Without a reason, the extension keeps the reason of the grant's request. */
  | { kind: 'extend'; grantId: string; duration: string; reason: string | null }
  /** Granted at once without approvers where the scope allows it; reviewed afterwards. */
  | { kind: 'break_glass'; scopeName: string; duration: string; reason: string }
  | { kind: 'request'; scopeName: string; duration: string; reason: string }
  /** `channelId` is absent where admin commands act on the channel they are typed in. */
  | { kind: 'admin_map'; scopeName: string; channelId?: string }
  /** Without a scope: every scope the channel reviews (only where the channel is implicit). */
  | { kind: 'admin_unmap'; scopeName: string | null; channelId?: string }
  | { kind: 'admin_mappings' }
  | { kind: 'admin_scopes' }
  | { kind: 'invalid'; problem: string };

/** How one platform writes commands; used to read admin arguments and to quote commands back. */
export interface CommandDialect {
  /** Written before every command when quoting it back: `/elevate ` in Slack, nothing in a Teams chat. */
  readonly commandPrefix: string;
  /** Written before `<scope> <duration> <reason>`: `/elevate` in Slack, `elevate` in Teams. */
  readonly requestPrefix: string;
  /**
   * How admin commands name the reviewer channel: parsed from the word after `map`/`unmap`
   * (Slack: `#channel`), or null where the command acts on the channel it is typed in (Teams).
   */
  readonly channelArgument: { parse(word: string): string | null; placeholder: string } | null;
  /** Whether `admin scopes` (every scope, for admins) is offered. */
  readonly adminScopes: boolean;
  /** How the sentence listing the admin commands starts: `Use`, or where to mention the bot. */
  readonly adminLeadIn: string;
}

/**
 * A matching duration is a run of `<n>d`, `<n>h`, `<n>m`, `<n>s` in that order; whether it is
 * long enough or too long is the core's to say.
 */
const DURATION = /^(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?$/i;

/**
 * Reads the text after the command's prefix. `prefixed` says the prefix was there (a Slack
 * slash command always; in Teams, a message starting with `elevate`): then nothing at all opens
 * the form and an unknown first word is a scope. Without it, nothing at all asks for help and an
 * unknown first word is a mistake.
 */
export function parseChatCommand(text: string, dialect: CommandDialect, options: { prefixed: boolean }): ChatCommand {
  const trimmed = text.trim();
  const words = trimmed === '' ? [] : trimmed.split(/\s+/);
  const [first = '', second] = words;
  const c = dialect.commandPrefix;
  switch (first.toLowerCase()) {
    case '':
      return options.prefixed ? { kind: 'open_form' } : { kind: 'help' };
    case 'help':
      return { kind: 'help' };
    case 'list':
      return { kind: 'list' };
    case 'done':
      return second ? { kind: 'done', grantId: second } : { kind: 'invalid', problem: `Say which grant to end: \`${c}done <grant id>\` (\`${c}list\` shows your grants).` };
    case 'cancel':
      return second ? { kind: 'cancel', requestId: second } : { kind: 'invalid', problem: `Say which request to cancel: \`${c}cancel <request id>\`.` };
    case 'verify':
      return second ? { kind: 'verify', requestId: second } : { kind: 'invalid', problem: `Say which request to verify for: \`${c}verify <request id>\` (\`${c}list\` shows your requests).` };
    case 'extend':
      return parseExtend(trimmed, words, dialect);
    case 'break-glass':
      return parseBreakGlass(trimmed, words, dialect);
    case 'admin':
      return parseAdmin(words.slice(1), dialect);
  }
  if (!options.prefixed) return { kind: 'invalid', problem: `I don’t know “${first.slice(0, 40)}”. Send \`${c}help\` to see what I can do.` };
  return parseRequest(trimmed, words, dialect);
}

/** `<scope> <duration> <reason…>`, the reason being everything after the duration, spacing kept. */
function parseRequest(text: string, words: string[], dialect: CommandDialect): ChatCommand {
  const [scope = '', duration] = words;
  const quoted = `${dialect.requestPrefix} ${scope.slice(0, 64)}`;
  if (duration === undefined || !DURATION.test(duration)) {
    return { kind: 'invalid', problem: `Add a duration after the scope, such as 15m, 1h or 1h30m: \`${quoted} 1h <reason>\`.` };
  }
  const reason = text.replace(/^\S+\s+\S+/, '').trim();
  if (reason === '') return { kind: 'invalid', problem: `Say why you need it: \`${quoted} ${duration} <reason>\`.` };
  return { kind: 'request', scopeName: scope, duration, reason };
}

/** `break-glass <scope> <duration> <reason…>`: the reason is not optional. */
function parseBreakGlass(text: string, words: string[], dialect: CommandDialect): ChatCommand {
  const [, scope = '', duration] = words;
  const usage = `\`${dialect.commandPrefix}break-glass ${scope.slice(0, 64) || '<scope>'} ${duration && DURATION.test(duration) ? duration : '<duration>'} <reason>\``;
  if (scope === '' || duration === undefined || !DURATION.test(duration)) return { kind: 'invalid', problem: `Name the scope and how long, such as 30m: ${usage}.` };
  const reason = text.replace(/^\S+\s+\S+\s+\S+/, '').trim();
  if (reason === '') return { kind: 'invalid', problem: `Break-glass needs a reason: it goes to every reviewer and broadcast channel. ${usage}` };
  return { kind: 'break_glass', scopeName: scope, duration, reason };
}

/** `extend <grant id> <duration> [reason…]`. */
function parseExtend(text: string, words: string[], dialect: CommandDialect): ChatCommand {
  const [, grantId, duration] = words;
  const usage = `\`${dialect.commandPrefix}extend <grant id> <duration> [reason]\``;
  if (!grantId) return { kind: 'invalid', problem: `Say which grant to extend and by how much: ${usage} (\`${dialect.commandPrefix}list\` shows your grants).` };
  if (duration === undefined || !DURATION.test(duration)) return { kind: 'invalid', problem: `Add how much longer, such as 15m, 1h or 1h30m: ${usage}.` };
  const reason = text.replace(/^\S+\s+\S+\s+\S+/, '').trim();
  return { kind: 'extend', grantId, duration, reason: reason === '' ? null : reason };
}

/** The admin commands as this platform writes them, without the command prefix. */
export function adminCommandUsages(dialect: CommandDialect): { name: string; usage: string }[] {
  const channel = dialect.channelArgument ? `${dialect.channelArgument.placeholder} ` : '';
  return [
    { name: 'map', usage: `admin map ${channel}<scope>` },
    { name: 'unmap', usage: dialect.channelArgument ? `admin unmap ${channel}<scope>` : 'admin unmap [<scope>]' },
    { name: 'mappings', usage: 'admin mappings' },
    ...(dialect.adminScopes ? [{ name: 'scopes', usage: 'admin scopes' }] : []),
  ];
}

function adminUsage(dialect: CommandDialect): string {
  const quoted = adminCommandUsages(dialect).map(({ usage }) => `\`${dialect.commandPrefix}${usage}\``);
  return `${dialect.adminLeadIn} ${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}.`;
}

function parseAdmin(words: string[], dialect: CommandDialect): ChatCommand {
  const [action = '', ...rest] = words;
  const verb = action.toLowerCase();
  switch (verb) {
    case 'mappings':
      return { kind: 'admin_mappings' };
    case 'scopes':
      if (dialect.adminScopes) return { kind: 'admin_scopes' };
      break;
    case 'map':
    case 'unmap': {
      const named = dialect.channelArgument;
      if (named) {
        const [channel = '', scope] = rest;
        const channelId = named.parse(channel);
        if (!channelId || !scope) return { kind: 'invalid', problem: `Name a channel and a scope. ${adminUsage(dialect)}` };
        return { kind: verb === 'map' ? 'admin_map' : 'admin_unmap', channelId, scopeName: scope };
      }
      const [scope] = rest;
      if (verb === 'unmap') return { kind: 'admin_unmap', scopeName: scope ?? null };
      return scope ? { kind: 'admin_map', scopeName: scope } : { kind: 'invalid', problem: `Name a scope. ${adminUsage(dialect)}` };
    }
  }
  return { kind: 'invalid', problem: adminUsage(dialect) };
}
