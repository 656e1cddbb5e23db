import type { InteractionResult } from 'oidc-provider';
import type { DevPrincipal } from '../dev-principals.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { singleField } from './read-form.ts';

/**
 * The login step of the development AS: the person picks who they are among the configuration's
 * people; no password (development only). One module so that a second factor (TOTP, a later
 * issue) is added here as a further step between the pick and the login result.
 *
 * It runs whenever oidc-provider's policy asks for a login — no session yet, `prompt=login`, or a
 * session older than `max_age` — and never skips itself, so those requests are honoured.
 */

/**
 * ISO/IEC 29115 level 0 as OpenID Connect Core §2 defines `acr` "0": the person was not
 * authenticated to any level of assurance. Honest for a pick-from-a-list login; a later MFA step
 * will record a stronger value and `amr`.
 */
export const DEV_LOGIN_ACR = '0';

export type LoginOutcome = { ok: true; result: Required<Pick<InteractionResult, 'login'>> } | { ok: false; problem: string };

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
  return html`${problem === null ? null : html`<p class="problem" role="alert">${problem}</p>`}
<p><strong>${options.clientName}</strong> asks who you are. Pick yourself:</p>
${choices}
<form method="post" action="${options.abortAction}"><button type="submit">Cancel this sign-in</button></form>`;
}

/** Checks the pick against the people of the configuration as it is now. */
export function checkLogin(form: URLSearchParams, people: ReadonlyArray<DevPrincipal>, nowSec: number): LoginOutcome {
  const picked = singleField(form, 'principal');
  if (picked === null || picked === '') return { ok: false, problem: 'Pick who you are.' };
  const person = people.find((candidate) => candidate.id === picked);
  if (person === undefined) return { ok: false, problem: `${picked} is not a person of the configuration; pick one of the list.` };
  return { ok: true, result: { login: { accountId: person.id, acr: DEV_LOGIN_ACR, ts: nowSec, remember: false } } };
}
