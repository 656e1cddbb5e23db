import { cancelFromChat } from '../../../../app/chat/cancel-from-chat.ts';
import { endGrantFromChat } from '../../../../app/chat/end-grant-from-chat.ts';
import { submitExtension } from '../../../../app/chat/submit-extension.ts';
import { submitRequest, submitRequestIdempotently } from '../../../../app/chat/submit-request.ts';
import { requestFingerprint } from '../../../../app/request-elevation.ts';
import { verifyAndDeliver } from '../../../../app/chat/verify-and-deliver.ts';
import { isElevateError, type ErrorCode } from '../../../../domain/errors.ts';
import { httpStatusOf } from '../../../../http/error-status.ts';
import { withNotice } from '../notices.ts';
import { page, redirect, type PageCall, type PageRoute } from '../page-route.ts';
import { renderAccess, REQUEST_KEY_FIELD } from './access-page.ts';

/** Refusals the request form shows beside the person's own input, to fix and send again. */
const FORM_REFUSALS: readonly ErrorCode[] = ['invalid_input', 'unknown_scope', 'duration_invalid', 'duration_too_long', 'reason_required', 'reason_mismatch', 'not_allowed_to_request', 'no_reviewer_channel', 'policy_denied'];

/** The form's own key (a UUID); anything else is ignored and the request made without one. */
const FORM_KEY = /^[0-9a-f-]{36}$/;

const field = (call: PageCall, name: string) => (call.form.get(name) ?? '').slice(0, 2000);

/** `POST /access/requests`: a new request, as `/elevate` in chat or `POST /api/v1/requests` makes it. */
export const submitRequestAction: PageRoute = {
  method: 'POST',
  path: '/access/requests',
  access: 'signed_in',
  async handle(call) {
    const input = { scope: field(call, 'scope').trim(), duration: field(call, 'duration').trim(), reason: field(call, 'reason') };
    const key = call.form.get(REQUEST_KEY_FIELD);
    try {
      const asked = { actor: call.actor, scopeName: input.scope, duration: input.duration === '' ? undefined : input.duration, reason: input.reason, source: 'web' as const };
      const { request } = key !== null && FORM_KEY.test(key) ? await submitRequestIdempotently(call.deps, asked, { key: `web:${key}`, fingerprint: requestFingerprint(asked) }) : await submitRequest(call.deps, asked);
      return redirect(withNotice(`/access`, request.status === 'auto_denied' ? 'auto_denied' : 'requested'));
    } catch (error) {
      if (!isElevateError(error) || !FORM_REFUSALS.includes(error.code)) throw error;
      return page('My access', await renderAccess(call, { ...input, problem: error.message }), { section: 'access', status: httpStatusOf(error.code) });
    }
  },
};

/** `POST /access/requests/{id}/cancel`: withdraw one's own pending request. */
export const cancelRequestAction: PageRoute = {
  method: 'POST',
  path: '/access/requests/{id}/cancel',
  access: 'signed_in',
  async handle(call) {
    await cancelFromChat(call.deps, call.params['id']!, call.actor);
    return redirect(withNotice('/access', 'cancelled'));
  },
};

/**
 * `POST /access/requests/{id}/verify`: the requester's multi-factor verification, with the
 * session's own sign-in. A sign-in too old or too weak for the scope comes back as
 * `step_up_required`, which the frame turns into a fresh sign-in at the provider and a second try.
 */
export const verifyRequestAction: PageRoute = {
  method: 'POST',
  path: '/access/requests/{id}/verify',
  access: 'signed_in',
  async handle(call) {
    await verifyAndDeliver(call.deps, { requestId: call.params['id']!, actor: call.actor, evidence: call.viewer.evidence });
    return redirect(withNotice('/access', 'verified'));
  },
};

/** `POST /access/grants/{id}/end`: end one's grant now; the token is revoked at the AS. */
export const endGrantAction: PageRoute = {
  method: 'POST',
  path: '/access/grants/{id}/end',
  access: 'signed_in',
  async handle(call) {
    const result = await endGrantFromChat(call.deps, call.params['id']!, call.actor);
    return redirect(withNotice('/access', result.kind === 'revoked' ? 'ended' : 'ending'));
  },
};

/** `POST /access/grants/{id}/extend`: ask for more time on a live grant (reviewed like a request). */
export const extendGrantAction: PageRoute = {
  method: 'POST',
  path: '/access/grants/{id}/extend',
  access: 'signed_in',
  async handle(call) {
    await submitExtension(call.deps, { actor: call.actor, grantId: call.params['id']!, duration: field(call, 'duration').trim(), reason: field(call, 'reason'), source: 'web' });
    return redirect(withNotice('/access', 'extension_requested'));
  },
};
