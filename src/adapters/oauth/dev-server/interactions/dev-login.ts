import type { InteractionResult } from 'oidc-provider';
import type { DevPrincipal } from '../dev-principals.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { DEV_TOTP_DIGITS } from '../totp/totp-parameters.ts';
import type { CodeCheck } from '../totp/totp-secrets-file.ts';
import { singleField } from './read-form.ts';

/**
 * The login of the development AS, in two steps: the person picks who they are among the
 * configuration's people, then proves it with the TOTP code (RFC 6238) of that person's secret
 * in the data directory (`npm run dev:otp -- <principal>` shows it). Every login takes both steps.
 *
 * It runs whenever oidc-provider's policy asks for a login — no session yet, `prompt=login`, a
 * session older than `max_age`, or an `acr_values` the session does not meet — and never skips
 * itself, so those requests are honoured.
 */

/**
 * What the login records, truthfully: picking a name from a list is no authentication factor, so
 * the one method is the one-time password (RFC 8176 `otp`). It is one factor, not two, so `amr`
 * does not say `mfa`; the `acr` is this server's own name for "a TOTP code, nothing else", and
 * the only one it issues or offers in `acr_values_supported`.
 */
export const DEV_LOGIN_ACR = 'urn:elevate:dev:otp';
export const DEV_LOGIN_AMR: readonly string[] = Object.freeze(['otp']);

/** Wrong codes of one person within five minutes before sign-ins as them are refused (a six-digit code is guessable otherwise). */
export const MAX_WRONG_CODES = 5;

export type PickOutcome = { ok: true; person: DevPrincipal } | { ok: false; problem: string };

/** The people the login page offers: humans only; a service account signs in by client credentials. */
export function peopleOf(principals: ReadonlyArray<DevPrincipal>): DevPrincipal[] {
  return principals.filter((principal) => principal.kind === 'human').sort((a, b) => a.id.localeCompare(b.id));
}

export function loginForm(options: { loginAction: string; abortAction: string; clientName: string; people: ReadonlyArray<DevPrincipal>; problem: string | null }): SafeHtml {
  const { people, problem } = options;
  const choices =
    people.length === 0
      ? html`<p class="problem">The configuration has no principal of kind human to sign in as. Add one to the config file and apply it.</p>`
      : html`<form method="post" action="${options.loginAction}"><ul class="people">${people.map(
          (person) => html`<li><button type="submit" name="principal" value="${person.id}">${person.displayName}</button> <span class="id">${person.id}</span></li>`,
        )}</ul></form>`;
  return html`${problemOf(problem)}
<p><strong>${options.clientName}</strong> asks who you are. Pick yourself, then enter your one-time code:</p>
${choices}
${cancelForm(options.abortAction)}`;
}

/** The second step: the code of the person picked, posted with the pick. */
export function codeForm(options: { codeAction: string; abortAction: string; restart: string; person: DevPrincipal; problem: string | null }): SafeHtml {
  const { person } = options;
  return html`${problemOf(options.problem)}
<p>Signing in as <strong>${person.displayName}</strong> <span class="id">${person.id}</span>. Enter the ${DEV_TOTP_DIGITS}-digit code of your authenticator app, or run <span class="id">npm run dev:otp -- ${person.id}</span>.</p>
<form method="post" action="${options.codeAction}">
<input type="hidden" name="principal" value="${person.id}">
<p><label for="code">One-time code</label><br><input id="code" type="text" name="code" inputmode="numeric" pattern="[0-9]{${DEV_TOTP_DIGITS}}" maxlength="${DEV_TOTP_DIGITS}" autocomplete="one-time-code" autofocus required></p>
<button type="submit">Sign in</button>
</form>
<p><a href="${options.restart}">Not ${person.displayName}? Pick someone else.</a></p>
${cancelForm(options.abortAction)}`;
}

function problemOf(problem: string | null): SafeHtml | null {
  return problem === null ? null : html`<p class="problem" role="alert">${problem}</p>`;
}

function cancelForm(abortAction: string): SafeHtml {
  return html`<form method="post" action="${abortAction}"><button type="submit">Cancel this sign-in</button></form>`;
}

/** Checks the pick against the people of the configuration as it is now. */
export function checkPick(form: URLSearchParams, people: ReadonlyArray<DevPrincipal>): PickOutcome {
  const picked = singleField(form, 'principal');
  if (picked === null || picked === '') return { ok: false, problem: 'Pick who you are.' };
  const person = people.find((candidate) => candidate.id === picked);
  if (person === undefined) return { ok: false, problem: `${picked} is not a person of the configuration; pick one of the list.` };
  return { ok: true, person };
}

/** The code field as typed: spaces (some apps show `123 456`) dropped. */
export function codeOf(form: URLSearchParams): string {
  return (singleField(form, 'code') ?? '').replace(/\s+/g, '');
}

/** What the person reads for a code that was not accepted. */
export function codeProblem(check: Exclude<CodeCheck, 'accepted'>, person: DevPrincipal, wrongLeft: number): string {
  if (check === 'replayed') return `This code was already used to sign in as ${person.id}. Wait for the next code and enter that one.`;
  return `That is not the current code of ${person.id}. Check the authenticator app for ${person.id} (or npm run dev:otp -- ${person.id}) and try again; ${wrongLeft} ${wrongLeft === 1 ? 'try' : 'tries'} left.`;
}

/** The login result: who, when, and how (see {@link DEV_LOGIN_ACR}). */
export function loginResult(person: DevPrincipal, nowSec: number): Required<Pick<InteractionResult, 'login'>> {
  return { login: { accountId: person.id, acr: DEV_LOGIN_ACR, amr: [...DEV_LOGIN_AMR], ts: nowSec, remember: false } };
}
