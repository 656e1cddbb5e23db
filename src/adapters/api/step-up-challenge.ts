import { ElevateError } from '../../domain/errors.ts';
import type { StepUpChallenge } from '../../domain/step-up.ts';

/**
 * The refusal of a call whose bearer token vouches for too weak or too old a sign-in: the
 * problem document says why in words, and the `WWW-Authenticate` answer (see
 * {@link insufficientUserAuthentication}) says what to sign in with.
 */
export function stepUpRequired(message: string, challenge: StepUpChallenge, details: Record<string, unknown> = {}): ElevateError {
  return new ElevateError('step_up_required', message, { details: { ...details, challenge } });
}

/**
 * The RFC 9470 §3 challenge: `Bearer error="insufficient_user_authentication",
 * error_description="…", acr_values="…", max_age=N`. `acr_values` is space-separated and left
 * out when the scope asks for none (it accepts an `amr` instead); `max_age` is in seconds.
 */
export function insufficientUserAuthentication(error: ElevateError): string {
  const challenge = challengeOf(error.details['challenge']);
  const params = [`error="insufficient_user_authentication"`, `error_description="${descriptionText(error.message)}"`];
  if (challenge && challenge.acrValues.length > 0) params.push(`acr_values="${challenge.acrValues.map(descriptionText).join(' ')}"`);
  if (challenge) params.push(`max_age=${challenge.maxAgeSec}`);
  return `Bearer ${params.join(', ')}`;
}

function challengeOf(value: unknown): StepUpChallenge | null {
  if (typeof value !== 'object' || value === null) return null;
  const { acrValues, maxAgeSec } = value as Partial<StepUpChallenge>;
  if (!Array.isArray(acrValues) || typeof maxAgeSec !== 'number' || !Number.isInteger(maxAgeSec) || maxAgeSec < 0) return null;
  return { acrValues: acrValues.filter((v): v is string => typeof v === 'string' && v !== ''), maxAgeSec };
}

/**
 * RFC 6750 §3 allows only %x20-21 / %x23-5B / %x5D-7E inside the quotes: a double quote becomes
 * a single one, a backslash a slash, anything else outside printable ASCII a question mark.
 */
function descriptionText(text: string): string {
  return text
    .replace(/"/g, "'")
    .replace(/\\/g, '/')
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 300);
}
