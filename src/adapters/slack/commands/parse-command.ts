/** What the text after `/elevate` asks for. Parsing is syntax only; the core checks meaning. */
export type SlackCommand =
  | { kind: 'open_form' }
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'done'; grantId: string }
  | { kind: 'cancel'; requestId: string }
  | { kind: 'request'; scopeName: string; duration: string; reason: string }
  | { kind: 'admin_map'; channelId: string; scopeName: string }
  | { kind: 'admin_unmap'; channelId: string; scopeName: string }
  | { kind: 'admin_mappings' }
  | { kind: 'admin_scopes' }
  | { kind: 'invalid'; problem: string };

const DURATION = /^(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?$/i;
/** `<#C0123|name>` as Slack escapes a channel mention, or a bare channel id. */
const CHANNEL = /^(?:<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>|([CG][A-Z0-9]{2,}))$/;

export function parseSlackCommand(text: string, command = '/elevate'): SlackCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'open_form' };
  const words = trimmed.split(/\s+/);
  const [first = '', second, third] = words;
  switch (first.toLowerCase()) {
    case 'help':
      return { kind: 'help' };
    case 'list':
      return { kind: 'list' };
    case 'done':
      return second ? { kind: 'done', grantId: second } : { kind: 'invalid', problem: `Say which grant to end: \`${command} done <grant id>\` (\`${command} list\` shows your grants).` };
    case 'cancel':
      return second ? { kind: 'cancel', requestId: second } : { kind: 'invalid', problem: `Say which request to cancel: \`${command} cancel <request id>\`.` };
    case 'admin':
      return parseAdmin(words.slice(1), command);
  }
  if (second === undefined || !DURATION.test(second)) {
    return {
      kind: 'invalid',
      problem: `Add a duration after the scope, such as 15m, 1h or 1h30m: \`${command} ${first} 1h <reason>\`.`,
    };
  }
  const reason = trimmed.slice(trimmed.indexOf(second, first.length) + second.length).trim();
  if (third === undefined || reason === '') return { kind: 'invalid', problem: `Say why you need it: \`${command} ${first} ${second} <reason>\`.` };
  return { kind: 'request', scopeName: first, duration: second, reason };
}

function parseAdmin(words: string[], command: string): SlackCommand {
  const [action = '', channel = '', scope] = words;
  const usage = `Use \`${command} admin map #channel <scope>\`, \`${command} admin unmap #channel <scope>\`, \`${command} admin mappings\` or \`${command} admin scopes\`.`;
  switch (action.toLowerCase()) {
    case 'mappings':
      return { kind: 'admin_mappings' };
    case 'scopes':
      return { kind: 'admin_scopes' };
    case 'map':
    case 'unmap': {
      const match = CHANNEL.exec(channel);
      const channelId = match?.[1] ?? match?.[2];
      if (!channelId || !scope) return { kind: 'invalid', problem: `Name a channel and a scope. ${usage}` };
      return { kind: action.toLowerCase() === 'map' ? 'admin_map' : 'admin_unmap', channelId, scopeName: scope };
    }
    default:
      return { kind: 'invalid', problem: usage };
  }
}
