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

/** `@Elevate mappings` and `@Elevate unmap …` in a channel are short for their `admin` forms. */
const CHANNEL_SHORTHANDS = /^(mappings|unmap)\b/i;

/** Reads the text a person typed (see `typedText`: Teams' HTML already turned into plain text). */
export function parseTeamsCommand(typed: string): TeamsCommand {
  const plain = typed.trim().replace(CHANNEL_SHORTHANDS, 'admin $1');
  const prefixed = /^elevate(?:\s|$)/i.exec(plain);
  return parseChatCommand(prefixed ? plain.slice(prefixed[0].length) : plain, TEAMS_DIALECT, { prefixed: prefixed !== null });
}
