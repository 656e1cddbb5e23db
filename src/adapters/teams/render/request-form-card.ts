import { MAX_REASON_LENGTH } from '../../../app/request-elevation.ts';
import { formatDuration } from '../../../domain/duration.ts';
import type { ScopeDefinition } from '../../../domain/scope.ts';
import { card, cut, execute, ownText, paragraph, run, type AdaptiveCard, type CardElement } from './card-elements.ts';
import { REQUEST_INPUTS, VERBS } from './verbs.ts';

const MAX_CHOICES = 100;

/** The `elevate` form: only the scopes this person may request, a duration and a reason; an error above the fields when a submission was refused. */
export function renderRequestFormCard(scopes: ScopeDefinition[], previous?: { scope?: string; duration?: string; reason?: string; problem?: string }): AdaptiveCard {
  const body: CardElement[] = [ownText('Request elevation', { size: 'Medium', weight: 'Bolder' })];
  if (previous?.problem) body.push(paragraph(run(`⚠ ${previous.problem}`, { bold: true })));
  body.push(
    {
      type: 'Input.ChoiceSet',
      id: REQUEST_INPUTS.scope,
      label: 'Scope',
      style: 'compact',
      isRequired: true,
      errorMessage: 'Choose a scope.',
      ...(previous?.scope ? { value: previous.scope } : {}),
      choices: scopes.slice(0, MAX_CHOICES).map((scope) => ({ title: cut(`${scope.name} (max ${formatDuration(scope.maxDurationSec)})`, 120), value: scope.name })),
    },
    { type: 'Input.Text', id: REQUEST_INPUTS.duration, label: 'Duration (for example 15m, 1h or 1h30m)', placeholder: '1h', maxLength: 16, isRequired: true, errorMessage: 'Give a duration.', ...(previous?.duration ? { value: previous.duration } : {}) },
    { type: 'Input.Text', id: REQUEST_INPUTS.reason, label: 'Reason', isMultiline: true, maxLength: MAX_REASON_LENGTH, isRequired: true, errorMessage: 'Say why you need this access.', ...(previous?.reason ? { value: previous.reason } : {}) },
  );
  return card(body, [execute('Request', VERBS.request, {}, 'positive')]);
}

/** What replaces the form once it was submitted: the outcome, as the text reply would say it. */
export function renderFormOutcomeCard(text: string): AdaptiveCard {
  return card([ownText('Request elevation', { size: 'Medium', weight: 'Bolder' }), paragraph(run(text))]);
}
