import type { ChannelMapping } from '../../../../domain/principal.ts';
import { CHAT_PLATFORMS } from '../../../../domain/principal.ts';
import { html, type SafeHtml } from '../../../../shared/html/html.ts';
import { csrfField, postButton } from '../forms.ts';

/** What the add form was given and what was wrong with it, to show it again after a refusal. */
export interface MappingFormState {
  values: { platform: string; channel: string; scope: string };
  problems: { field: 'platform' | 'channel' | 'scope' | 'form'; message: string }[];
}

export const EMPTY_MAPPING_FORM: MappingFormState = { values: { platform: 'slack', channel: '', scope: '' }, problems: [] };

/** The reviewer-channel mappings with a remove button each, and the form that adds one. */
export function mappingsSection(input: { mappings: readonly ChannelMapping[]; scopeNames: readonly string[]; csrf: string; form: MappingFormState }): SafeHtml {
  const { mappings, csrf } = input;
  const list =
    mappings.length === 0
      ? html`<p class="empty">No reviewer channel is mapped: requests reach their approvers only in person.</p>`
      : html`<div class="table-wrap"><table class="stack mappings-table"><caption class="visually-hidden">Reviewer channel mappings</caption>
<thead><tr><th scope="col">Platform</th><th scope="col">Channel</th><th scope="col">Scope</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${mappings.map((mapping, index) => {
          const id = `mapping-${index}`;
          return html`<tr id="${id}"><td data-label="Platform">${platformLabel(mapping.platform)}</td><td data-label="Channel"><code>${mapping.channelId}</code></td><td data-label="Scope">${mapping.scopeName}</td>
<td class="actions">${postButton({ action: '/operations/mappings/remove', csrf, label: 'Remove', danger: true, describedBy: id, fields: { platform: mapping.platform, channel: mapping.channelId, scope: mapping.scopeName } })}</td></tr>`;
        })}</tbody></table></div>`;
  return html`<section aria-labelledby="mappings-heading"><h2 id="mappings-heading">Reviewer channels</h2>
<p class="small muted">Approval messages for a scope are posted to its channels. Changes here are audited like the chat admin commands. The configuration file stays the source of truth: the next <code>config apply</code> removes mappings it does not list.</p>
${list}
${addForm(input)}</section>`;
}

function addForm(input: { scopeNames: readonly string[]; csrf: string; form: MappingFormState }): SafeHtml {
  const { values, problems } = input.form;
  const problemOf = (field: MappingFormState['problems'][number]['field']) => problems.find((p) => p.field === field)?.message;
  const note = (field: 'platform' | 'channel' | 'scope') => {
    const problem = problemOf(field);
    return problem ? html`<p class="field-problem" id="${`map-${field}-problem`}">${problem}</p>` : '';
  };
  const aria = (field: 'platform' | 'channel' | 'scope', hint?: string) => {
    const ids = [hint, problemOf(field) ? `map-${field}-problem` : undefined].filter((id) => id !== undefined).join(' ');
    return html`${ids === '' ? '' : html` aria-describedby="${ids}"`}${problemOf(field) ? html` aria-invalid="true"` : ''}`;
  };
  const general = problemOf('form');
  return html`<form method="post" action="/operations/mappings" class="stack mapping-form" aria-labelledby="map-heading">
<h3 id="map-heading">Map a channel</h3>
${problems.length > 0 ? html`<p class="problem" role="alert">${general ?? 'The mapping was not added: see below.'}</p>` : ''}
${csrfField(input.csrf)}
<div><label for="map-platform">Platform</label><select id="map-platform" name="platform"${aria('platform')}>${CHAT_PLATFORMS.map((platform) => html`<option value="${platform}"${values.platform === platform ? html` selected` : ''}>${platformLabel(platform)}</option>`)}</select>${note('platform')}</div>
<div><label for="map-channel">Channel id <span class="hint" id="map-channel-hint">Slack: C0123ABCD; Teams: 19:…@thread.tacv2</span></label><input id="map-channel" name="channel" value="${values.channel}" maxlength="300" required autocomplete="off"${aria('channel', 'map-channel-hint')}>${note('channel')}</div>
<div><label for="map-scope">Scope</label>${
    input.scopeNames.length === 0
      ? html`<p class="empty" id="map-scope">No scopes are configured yet.</p>`
      : html`<select id="map-scope" name="scope"${aria('scope')}>${input.scopeNames.map((name) => html`<option value="${name}"${values.scope === name ? html` selected` : ''}>${name}</option>`)}</select>`
  }${note('scope')}</div>
<div><button type="submit">Add mapping</button></div>
</form>`;
}

export function platformLabel(platform: string): string {
  return platform === 'slack' ? 'Slack' : platform === 'teams' ? 'Microsoft Teams' : platform;
}
