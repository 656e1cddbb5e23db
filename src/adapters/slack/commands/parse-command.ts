import { parseChatCommand, type ChatCommand, type CommandDialect } from '../../../app/chat/commands/chat-command.ts';

/** What the text after `/elevate` asks for: the one chat grammar, as Slack writes it. */
export type SlackCommand = ChatCommand;

/** `<#C0123|name>` as Slack escapes a channel mention, or a bare channel id. */
const CHANNEL = /^(?:<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>|([CG][A-Z0-9]{2,}))$/;

/** Slack's way of writing commands: everything follows the slash command, and admin commands name the channel. */
export function slackDialect(command: string): CommandDialect {
  return {
    commandPrefix: `${command} `,
    requestPrefix: command,
    channelArgument: {
      placeholder: '#channel',
      parse: (word) => {
        const match = CHANNEL.exec(word);
        return match?.[1] ?? match?.[2] ?? null;
      },
    },
    adminScopes: true,
    adminLeadIn: 'Use',
  };
}

export function parseSlackCommand(text: string, command = '/elevate'): SlackCommand {
  return parseChatCommand(text, slackDialect(command), { prefixed: true });
}
