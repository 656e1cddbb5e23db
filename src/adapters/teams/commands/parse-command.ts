/**
 * What a message to the bot asks for. Parsing is syntax only; the core checks meaning. In a 1:1
 * chat people request and manage their own elevations; in a team channel (where the bot is
 * @mentioned) admins map the channel. The Teams wording of Slack's `/elevate …` grammar: the same
 * words without the slash, and no channel argument because the channel is where you type.
 */
export type TeamsCommand =
  | { kind: 'open_form' }
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'done'; grantId: string }
  | { kind: 'cancel'; requestId: string }
  | { kind: 'request'; scopeName: string; duration: string; reason: string }
  | { kind: 'admin_map'; scopeName: string }
  | { kind: 'admin_unmap'; scopeName: string | null }
  | { kind: 'admin_mappings' }
  | { kind: 'invalid'; problem: string };

const DURATION = /^(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?$/i;

/** Removes `<at>…</at>` mentions and HTML Teams wraps text in, and decodes the entities it uses. */
export function plainMessageText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

export function parseTeamsCommand(text: string): TeamsCommand {
  const trimmed = plainMessageText(text);
  const words = trimmed.split(/\s+/).filter((w) => w !== '');
  const [first = '', second, third] = words;
  switch (first.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'list':
      return { kind: 'list' };
    case 'done':
      return second ? { kind: 'done', grantId: second } : { kind: 'invalid', problem: 'Say which grant to end: `done <grant id>` (`list` shows your grants).' };
    case 'cancel':
      return second ? { kind: 'cancel', requestId: second } : { kind: 'invalid', problem: 'Say which request to cancel: `cancel <request id>`.' };
    case 'admin':
      return parseAdmin(words.slice(1));
    case 'mappings':
      return { kind: 'admin_mappings' };
    case 'unmap':
      return { kind: 'admin_unmap', scopeName: second ?? null };
    case 'elevate':
      break;
    default:
      return { kind: 'invalid', problem: `I don’t know “${first.slice(0, 40)}”. Send \`help\` to see what I can do.` };
  }
  if (second === undefined) return { kind: 'open_form' };
  if (third === undefined || !DURATION.test(third)) {
    return { kind: 'invalid', problem: `Add a duration after the scope, such as 15m, 1h or 1h30m: \`elevate ${second.slice(0, 64)} 1h <reason>\`.` };
  }
  const afterScope = trimmed.slice(trimmed.indexOf(second, first.length) + second.length);
  const reason = afterScope.slice(afterScope.indexOf(third) + third.length).trim();
  if (reason === '') return { kind: 'invalid', problem: `Say why you need it: \`elevate ${second.slice(0, 64)} ${third} <reason>\`.` };
  return { kind: 'request', scopeName: second, duration: third, reason };
}

function parseAdmin(words: string[]): TeamsCommand {
  const [action = '', scope] = words;
  const usage = 'In the reviewer channel, mention me with `admin map <scope>`, `admin unmap [<scope>]` or `admin mappings`.';
  switch (action.toLowerCase()) {
    case 'mappings':
      return { kind: 'admin_mappings' };
    case 'map':
      return scope ? { kind: 'admin_map', scopeName: scope } : { kind: 'invalid', problem: `Name a scope. ${usage}` };
    case 'unmap':
      return { kind: 'admin_unmap', scopeName: scope ?? null };
    default:
      return { kind: 'invalid', problem: usage };
  }
}
