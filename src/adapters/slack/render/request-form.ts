import { MAX_REASON_LENGTH } from '../../../app/request-elevation.ts';
import { formatDuration } from '../../../domain/duration.ts';
import type { ScopeDefinition } from '../../../domain/scope.ts';
import { VIEWS } from './action-ids.ts';
import { truncate } from './escape.ts';
import { SLACK_LIMITS } from './limits.ts';

export const REQUEST_FORM = {
  scope: { block: 'scope', action: 'scope' },
  duration: { block: 'duration', action: 'duration' },
  reason: { block: 'reason', action: 'reason' },
} as const;

/** The `/elevate` form: only the scopes this person may request, a duration and a reason. */
export function renderRequestForm(scopes: ScopeDefinition[]): Record<string, unknown> {
  const plain = (text: string) => ({ type: 'plain_text', text });
  return {
    type: 'modal',
    callback_id: VIEWS.requestForm,
    title: plain('Request elevation'),
    submit: plain('Request'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: REQUEST_FORM.scope.block,
        label: plain('Scope'),
        element: {
          type: 'static_select',
          action_id: REQUEST_FORM.scope.action,
          placeholder: plain('Choose what you need'),
          options: scopes.slice(0, SLACK_LIMITS.optionsPerSelect).map((scope) => ({
            text: plain(truncate(`${scope.name} (max ${formatDuration(scope.maxDurationSec)})`, SLACK_LIMITS.optionText)),
            description: plain(truncate(scope.description || scope.oauthScope, SLACK_LIMITS.optionText)),
            value: scope.name,
          })),
        },
      },
      {
        type: 'input',
        block_id: REQUEST_FORM.duration.block,
        label: plain('Duration'),
        hint: plain('For example 15m, 1h or 1h30m'),
        element: { type: 'plain_text_input', action_id: REQUEST_FORM.duration.action, max_length: 16, placeholder: plain('1h') },
      },
      {
        type: 'input',
        block_id: REQUEST_FORM.reason.block,
        label: plain('Reason'),
        element: { type: 'plain_text_input', action_id: REQUEST_FORM.reason.action, multiline: true, max_length: MAX_REASON_LENGTH },
      },
    ],
  };
}
