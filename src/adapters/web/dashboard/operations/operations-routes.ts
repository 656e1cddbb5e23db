import { listMappingsAsAdmin } from '../../../../app/chat/admin-catalogue.ts';
import { mapChannel, unmapChannel } from '../../../../app/chat/map-channel.ts';
import { readOperationsOverview } from '../../../../app/operations-overview.ts';
import { DEFAULT_SWEEP_OPTIONS } from '../../../../app/sweep.ts';
import { isElevateError } from '../../../../domain/errors.ts';
import { CHAT_PLATFORMS, type ChannelMapping, type ChatPlatform } from '../../../../domain/principal.ts';
import { noticeOf, withNotice } from '../notices.ts';
import { page, redirect, type PageAnswer, type PageCall, type PageRoute } from '../page-route.ts';
import { EMPTY_MAPPING_FORM, type MappingFormState } from './mappings-section.ts';
import { operationsPageBody } from './operations-page.ts';

const SCOPE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/** Slack channel ids (C0123ABCD, G…) and Teams conversation ids (19:…@thread.tacv2): no spaces, no markup. */
const CHANNEL_ID = /^[A-Za-z0-9][A-Za-z0-9:@._-]{0,299}$/;

/** `GET /operations`: admins only (access `admin`; the use case checks again). */
export const operationsPageRoute: PageRoute = {
  method: 'GET',
  path: '/operations',
  access: 'admin',
  handle: (call) => renderOperations(call, EMPTY_MAPPING_FORM, 200),
};

/**
 * `POST /operations/mappings`: maps a reviewer channel to a scope through the same use case as
 * the chat admin command (`admin.mapping_added`, with `via: web`). Bad input is shown again at
 * its field; success redirects with a notice, so a reload posts nothing twice.
 */
export const addMappingRoute: PageRoute = {
  method: 'POST',
  path: '/operations/mappings',
  access: 'admin',
  async handle(call) {
    const form = readMappingForm(call.form);
    if (form.problems.length > 0) return renderOperations(call, form, 400);
    try {
      const { changed } = await mapChannel(call.deps, { actor: call.actor, mapping: mappingOf(form) });
      return redirect(withNotice('/operations', changed ? 'mapping_added' : 'mapping_unchanged'));
    } catch (error) {
      if (!isElevateError(error, 'unknown_scope')) throw error;
      return renderOperations(call, { ...form, problems: [{ field: 'scope', message: error.message }] }, 400);
    }
  },
};

/** `POST /operations/mappings/remove`: the chat command's removal (`admin.mapping_removed`, `via: web`). */
export const removeMappingRoute: PageRoute = {
  method: 'POST',
  path: '/operations/mappings/remove',
  access: 'admin',
  async handle(call) {
    const form = readMappingForm(call.form);
    if (form.problems.length > 0) return renderOperations(call, { ...form, problems: [{ field: 'form', message: 'That mapping could not be read; nothing was removed. Use the Remove button beside it.' }] }, 400);
    const { changed } = await unmapChannel(call.deps, { actor: call.actor, mapping: mappingOf(form) });
    return redirect(withNotice('/operations', changed ? 'mapping_removed' : 'mapping_absent'));
  },
};

export const OPERATIONS_ROUTES: readonly PageRoute[] = [operationsPageRoute, addMappingRoute, removeMappingRoute];

async function renderOperations(call: PageCall, form: MappingFormState, status: number): Promise<PageAnswer> {
  const [overview, mappings, scopes, reachability] = await Promise.all([
    readOperationsOverview(call.deps, call.actor, { now: call.now, overdueAfterSec: DEFAULT_SWEEP_OPTIONS.overdueAlertSec }),
    listMappingsAsAdmin(call.deps.store, call.actor),
    call.deps.store.listScopes(),
    call.deps.authorizationServer?.current() ?? Promise.resolve(null),
  ]);
  const body = operationsPageBody({ overview, reachability, mappings, scopeNames: scopes.map((s) => s.name), csrf: call.csrf, now: call.now, form, notice: status === 200 ? noticeOf(call.url) : null });
  return page('Operations', body, { section: 'operations', status });
}

function readMappingForm(fields: URLSearchParams): MappingFormState {
  const values = { platform: (fields.get('platform') ?? '').trim(), channel: (fields.get('channel') ?? '').trim(), scope: (fields.get('scope') ?? '').trim() };
  const problems: MappingFormState['problems'] = [];
  if (!(CHAT_PLATFORMS as readonly string[]).includes(values.platform)) problems.push({ field: 'platform', message: 'Choose Slack or Microsoft Teams.' });
  if (values.channel === '') problems.push({ field: 'channel', message: 'Enter the channel id.' });
  else if (!CHANNEL_ID.test(values.channel)) problems.push({ field: 'channel', message: 'A channel id has letters, digits and : @ . _ - only, at most 300: copy it from the channel’s details.' });
  if (!SCOPE_NAME.test(values.scope)) problems.push({ field: 'scope', message: 'Choose a scope from the list.' });
  return { values, problems };
}

function mappingOf(form: MappingFormState): ChannelMapping {
  return { platform: form.values.platform as ChatPlatform, channelId: form.values.channel, scopeName: form.values.scope };
}
