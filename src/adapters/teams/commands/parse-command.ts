import { parseChatCommand, type ChatCommand, type CommandDialect } from '../../../app/chat/commands/chat-command.ts';

/**
 * What a message to the bot asks for: the one chat grammar, as Teams writes it. In a 1:1 chat
 * people request and manage their own elevations (`elevate …` and the bare commands); in a team
 * channel (where the bot is @mentioned) admins map the channel they type in.
 */
export type TeamsCommand = ChatCommand;

/** Teams' way of writing commands: a request starts with `elevate`, the rest are bare words, and admin commands act on the channel they are typed in. */
export const TEAMS_DIALECT: CommandDialect = {
  commandPrefix: '',
  requestPrefix: 'elevate',
  channelArgument: null,
  adminScopes: false,
  adminLeadIn: 'In the reviewer channel, mention me with',
};

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

/** `@Elevate mappings` and `@Elevate unmap …` in a channel are short for their `admin` forms. */
const CHANNEL_SHORTHANDS = /^(mappings|unmap)\b/i;

export function parseTeamsCommand(text: string): TeamsCommand {
  const plain = plainMessageText(text).replace(CHANNEL_SHORTHANDS, 'admin $1');
  const prefixed = /^elevate(?:\s|$)/i.exec(plain);
  return parseChatCommand(prefixed ? plain.slice(prefixed[0].length) : plain, TEAMS_DIALECT, { prefixed: prefixed !== null });
}
