import { SLACK_LIMITS } from './limits.ts';
import { truncate } from './escape.ts';

/** The Block Kit shapes we use, kept small and typed. Text passed in is already escaped. */
export type Block = Record<string, unknown>;

export const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText), emoji: true } });

export const section = (mrkdwn: string, extra: Record<string, unknown> = {}): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(mrkdwn, SLACK_LIMITS.sectionText) },
  ...extra,
});

export const fields = (items: string[]): Block => ({
  type: 'section',
  fields: items.slice(0, SLACK_LIMITS.fieldsPerSection).map((text) => ({ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionField) })),
});

export const context = (mrkdwn: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, SLACK_LIMITS.sectionText) }] });

export const divider = (): Block => ({ type: 'divider' });

export const button = (options: { text: string; actionId: string; value: string; style?: 'primary' | 'danger'; confirm?: { title: string; text: string; confirm: string } }): Record<string, unknown> => ({
  type: 'button',
  text: { type: 'plain_text', text: truncate(options.text, SLACK_LIMITS.buttonText), emoji: true },
  action_id: options.actionId,
  value: options.value,
  ...(options.style ? { style: options.style } : {}),
  ...(options.confirm
    ? {
        confirm: {
          title: { type: 'plain_text', text: options.confirm.title },
          text: { type: 'mrkdwn', text: options.confirm.text },
          confirm: { type: 'plain_text', text: options.confirm.confirm },
          deny: { type: 'plain_text', text: 'Cancel' },
        },
      }
    : {}),
});

/**
 * A button that opens a URL in the person's browser. Slack still sends a `block_actions` payload
 * for it, which the app only acknowledges (see {@link ACTIONS.openLink}).
 */
export const linkButton = (options: { text: string; actionId: string; url: string; style?: 'primary' | 'danger' }): Record<string, unknown> => ({
  type: 'button',
  text: { type: 'plain_text', text: truncate(options.text, SLACK_LIMITS.buttonText), emoji: true },
  action_id: options.actionId,
  url: options.url,
  ...(options.style ? { style: options.style } : {}),
});

export const actions = (blockId: string, elements: Record<string, unknown>[]): Block => ({ type: 'actions', block_id: blockId, elements });

/** At most `limit` blocks; when cut, the last one says how many were left out. */
export function capBlocks(blocks: Block[], limit: number = SLACK_LIMITS.blocksPerMessage): Block[] {
  if (blocks.length <= limit) return blocks;
  return [...blocks.slice(0, limit - 1), context(`…and ${blocks.length - limit + 1} more not shown.`)];
}
