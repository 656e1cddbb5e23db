import type { Reachability } from '../../../../app/authorization-server-reachability.ts';
import { OPERATIONS_LIST_LIMIT, type GrantLine, type OperationsOverview } from '../../../../app/operations-overview.ts';
import type { ChannelMapping } from '../../../../domain/principal.ts';
import { html, type SafeHtml } from '../../../../shared/html/html.ts';
import { exactTimeOf, spanText } from '../time-words.ts';
import { lagChart } from './lag-chart.ts';
import { mappingsSection, type MappingFormState } from './mappings-section.ts';

export interface OperationsPageInput {
  overview: OperationsOverview;
  /** Null when no probe is configured. */
  reachability: Reachability | null;
  mappings: readonly ChannelMapping[];
  scopeNames: readonly string[];
  csrf: string;
  now: Date;
  form: MappingFormState;
  notice: SafeHtml | null;
}

/** The operations page: the AS, the counts, live grants, owed revocations, the lag chart, the reviewer channels. */
export function operationsPageBody(input: OperationsPageInput): SafeHtml {
  const { overview, now } = input;
  const activeTotal = overview.counts.activeGrants.reduce((sum, entry) => sum + entry.count, 0);
  return html`${input.notice ?? ''}
${reachabilityLine(input.reachability, now)}
<dl class="facts ops-counts">
<dt>Active grants</dt><dd>${activeTotal}${overview.counts.activeGrants.length > 0 ? html` <span class="muted">(${overview.counts.activeGrants.map((entry) => `${entry.scopeName}: ${entry.count}`).join(', ')})</span>` : ''}</dd>
<dt>Revocations pending</dt><dd>${overview.counts.revocationsPending}</dd>
<dt>Revocations overdue</dt><dd>${overview.counts.revocationsOverdue > 0 ? html`<strong class="ops-bad">${overview.counts.revocationsOverdue}</strong>` : '0'}</dd>
</dl>
<section aria-labelledby="active-heading"><h2 id="active-heading">Active grants</h2>
${overview.active.length === 0 ? html`<p class="empty">Nobody holds an elevated grant right now.</p>` : grantTable('active', overview.active, now)}
${listedOf(overview.active.length, activeTotal)}</section>
<section aria-labelledby="pending-heading"><h2 id="pending-heading">Revocations pending</h2>
${overview.pending.length === 0 ? html`<p class="empty">No revocation is owed: every ended grant is revoked.</p>` : grantTable('pending', overview.pending, now)}
${listedOf(overview.pending.length, overview.counts.revocationsPending)}</section>
<section aria-labelledby="lag-heading"><h2 id="lag-heading">Revocation lag, last 24 hours</h2>
${lagChart(overview.lag)}</section>
${mappingsSection({ mappings: input.mappings, scopeNames: input.scopeNames, csrf: input.csrf, form: input.form })}`;
}

function reachabilityLine(reachability: Reachability | null, now: Date): SafeHtml {
  if (reachability === null) return html`<p class="warning ops-as">Authorization server: not checked here (no probe is configured).</p>`;
  const age = html`<span class="muted small">checked ${spanText(now.getTime() - reachability.checkedAt.getTime())} ago</span>`;
  if (reachability.reachable) {
    return html`<p class="done ops-as" role="status">Authorization server <code>${reachability.issuer}</code>: <strong>reachable</strong>, answered in ${reachability.latencyMs} ms ${age}.</p>`;
  }
  return html`<p class="problem ops-as" role="alert">Authorization server <code>${reachability.issuer}</code>: <strong>unreachable</strong> — ${reachability.problem ?? 'no answer'} ${age}. Grants cannot be issued or revoked until it answers; the sweeper keeps retrying revocations.</p>`;
}

function grantTable(kind: 'active' | 'pending', lines: readonly GrantLine[], now: Date): SafeHtml {
  const head =
    kind === 'active'
      ? html`<th scope="col">Grant</th><th scope="col">Requester</th><th scope="col">Scope</th><th scope="col">Approved by</th><th scope="col">Ends</th>`
      : html`<th scope="col">Grant</th><th scope="col">Requester</th><th scope="col">Scope</th><th scope="col">Ended</th><th scope="col">State</th>`;
  return html`<div class="table-wrap"><table class="stack ops-table"><thead><tr>${head}</tr></thead><tbody>${lines.map((line) => (kind === 'active' ? activeRow(line, now) : pendingRow(line, now)))}</tbody></table></div>`;
}

function activeRow(line: GrantLine, now: Date): SafeHtml {
  return html`<tr><td data-label="Grant"><code>${line.grant.id}</code></td><td data-label="Requester">${line.requesterId ?? '?'}</td><td data-label="Scope">${line.scopeName ?? '?'}</td>
<td data-label="Approved by">${approvalsOf(line)}</td>
<td data-label="Ends">${exactTimeOf(line.grant.endsAt)} <span class="muted small">(in ${spanText(line.grant.endsAt.getTime() - now.getTime())})</span></td></tr>`;
}

function pendingRow(line: GrantLine, now: Date): SafeHtml {
  const { grant } = line;
  const state =
    grant.status === 'active'
      ? 'ended, waiting for the sweeper'
      : `revoking${grant.endReason ? ` (${grant.endReason.replaceAll('_', ' ')})` : ''}${grant.revokeAttempts > 0 ? `, ${grant.revokeAttempts} attempt(s)` : ''}`;
  return html`<tr${line.overdue ? html` class="ops-overdue"` : ''}><td data-label="Grant"><code>${grant.id}</code></td><td data-label="Requester">${line.requesterId ?? '?'}</td><td data-label="Scope">${line.scopeName ?? '?'}</td>
<td data-label="Ended">${grant.endsAt <= now ? html`${exactTimeOf(grant.endsAt)} <span class="muted small">(${spanText(now.getTime() - grant.endsAt.getTime())} ago)</span>` : html`early <span class="muted small">(was due ${exactTimeOf(grant.endsAt)})</span>`}</td>
<td data-label="State">${line.overdue ? html`<strong class="ops-bad">Overdue</strong>: ` : ''}${state}${grant.lastError ? html` <span class="muted small">last error: ${grant.lastError}</span>` : ''}${grant.nextAttemptAt ? html` <span class="muted small">next try ${exactTimeOf(grant.nextAttemptAt)}</span>` : ''}</td></tr>`;
}

function approvalsOf(line: GrantLine): SafeHtml {
  if (line.approvedBy === 'policy') return html`<span class="muted">policy (automatic)</span>`;
  if (line.approvedBy === 'break_glass') return html`<span class="ops-bad">break-glass</span> <span class="muted small">(reviewed afterwards)</span>`;
  return html`${line.approvals.map((approval, index) => html`${index > 0 ? ', ' : ''}${approval.approverId} <span class="muted small">at ${exactTimeOf(approval.at)}</span>`)}`;
}

function listedOf(listed: number, total: number): SafeHtml | '' {
  return total > listed && listed >= OPERATIONS_LIST_LIMIT ? html`<p class="small muted">Showing the first ${listed} of ${total}.</p>` : '';
}
