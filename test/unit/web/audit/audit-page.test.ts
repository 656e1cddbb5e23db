import { describe, expect, it } from 'vitest';
import { auditExportRoute, auditPageRoute } from '../../../../src/adapters/web/dashboard/audit/audit-routes.ts';
import { issueGrant } from '../../../../src/app/issue-grant.ts';
import { requestElevation } from '../../../../src/app/request-elevation.ts';
import { reviewRequest } from '../../../../src/app/review-request.ts';
import { AuditChainVerifier, hashAuditRecord, type AuditRecord } from '../../../../src/domain/audit.ts';
import { isElevateError } from '../../../../src/domain/errors.ts';
import type { Store } from '../../../../src/ports/store.ts';
import { slackUser } from '../../../support/core-harness.ts';
import { callRoute, markupOf, pageHarness, type PageHarness } from './page-harness.ts';

const XSS_REASON = 'INC-1 <script>alert(1)</script> "><img src=x onerror=alert(2)>';

/** alice asks (with markup in her reason), bob approves, the grant is issued; dave asks too. */
async function busyTrail(h: PageHarness): Promise<void> {
  const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: XSS_REASON, source: 'slack' });
  h.clock.advance(60);
  await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
  h.clock.advance(5);
  await issueGrant(h, request.id);
  h.clock.advance(600);
  await requestElevation(h, { actor: slackUser('dave'), scopeName: 'prod-db-admin', duration: '30m', reason: 'INC-2 checking', source: 'slack' });
}

function rowsOf(markup: string): string[] {
  return [...markup.matchAll(/<tr>\s*<td data-label="#">(\d+)<\/td>/g)].map((m) => m[1]!);
}

async function linesOf(h: PageHarness, path: string, as = 'grace'): Promise<AuditRecord[]> {
  const answer = await callRoute(h, auditExportRoute, { as, path });
  if (answer.kind !== 'download') throw new Error(`expected a download, got ${answer.kind}`);
  expect(answer).toMatchObject({ filename: 'elevate-audit-2026-03-02.jsonl', contentType: 'application/x-ndjson' });
  if (answer.body === '') return [];
  expect(answer.body.endsWith('\n')).toBe(true);
  return answer.body
    .trimEnd()
    .split('\n')
    .map((line) => {
      const json = JSON.parse(line) as Record<string, unknown>;
      return { ...json, at: new Date(json['at'] as string), keyId: (json['keyId'] as string | undefined) ?? null } as AuditRecord;
    });
}

describe('audit page', () => {
  it('shows an auditor every record newest first, under the chain verified over the whole trail', async () => {
    const h = await pageHarness();
    await busyTrail(h);
    const total = (await h.store.listAudit(0, 1000)).length;
    const markup = markupOf(await callRoute(h, auditPageRoute, { as: 'grace', path: '/audit' }));
    expect(markup).toContain(`<strong>Chain intact:</strong> ${total} record(s) verified, through record #${total}`);
    expect(rowsOf(markup)).toEqual(Array.from({ length: total }, (_, i) => String(total - i)));
    expect(markup).toContain('<code>request.approved</code>');
    expect(markup).toMatch(/<summary><code>[0-9a-f]{12}…<\/code>/);
    const [newest] = await h.store.searchAudit({}, 'newest_first', 1);
    expect(markup).toContain(`<code>${newest!.hash}</code>`);
  });

  it('renders markup from a reason or a data field as inert text', async () => {
    const h = await pageHarness();
    await busyTrail(h);
    const markup = markupOf(await callRoute(h, auditPageRoute, { as: 'erin', path: '/audit' }));
    expect(markup).not.toContain('<script>');
    expect(markup).not.toContain('<img');
    expect(markup).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markup).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  });

  it('never shows a grant’s token', async () => {
    const h = await pageHarness();
    await busyTrail(h);
    const token = [...h.issuer.live.keys()][0]!;
    expect(token.length).toBeGreaterThan(10);
    const markup = markupOf(await callRoute(h, auditPageRoute, { as: 'grace', path: '/audit' }));
    const exported = await callRoute(h, auditExportRoute, { as: 'grace', path: '/audit/export' });
    expect(markup).not.toContain(token);
    expect(JSON.stringify(exported)).not.toContain(token);
  });

  it('filters by person (actor or requester), scope, event and time, and keeps the filters in the form', async () => {
    const h = await pageHarness();
    await busyTrail(h);
    const all = await h.store.listAudit(0, 1000);
    const about = (person: string) => all.filter((r) => r.actor === person || (r.requestId !== null && r.requestId === 'r-1' && person === 'alice') || (r.requestId === 'r-2' && person === 'dave'));

    const dave = markupOf(await callRoute(h, auditPageRoute, { as: 'grace', path: '/audit?person=dave' }));
    expect(rowsOf(dave)).toEqual(about('dave').map((r) => String(r.seq)).reverse());
    expect(dave).toContain('value="dave"');

    const bobApprovals = markupOf(await callRoute(h, auditPageRoute, { as: 'grace', path: '/audit?person=bob&event=request.approved' }));
    expect(rowsOf(bobApprovals)).toEqual([String(all.find((r) => r.type === 'request.approved')!.seq)]);
    expect(bobApprovals).toContain('<option value="request.approved" selected>');

    const otherScope = markupOf(await callRoute(h, auditPageRoute, { as: 'grace', path: '/audit?scope=deploy' }));
    expect(otherScope).toContain('No records match these filters.');

    // From the approval (T0+60 s) to the issue (T0+65 s), both ends inclusive, the first in datetime-local form, the second in ISO with a zone.
    const window = markupOf(await callRoute(h, auditPageRoute, { as: 'grace', path: '/audit?from=2026-03-02T09:01:00&to=2026-03-02T10:01:05%2B01:00' }));
    const inWindow = all.filter((r) => r.at.getTime() >= Date.parse('2026-03-02T09:01:00Z') && r.at.getTime() <= Date.parse('2026-03-02T09:01:05.999Z'));
    expect(inWindow.length).toBeGreaterThan(1);
    expect(rowsOf(window)).toEqual(inWindow.map((r) => String(r.seq)).reverse());
    expect(window).toContain('value="2026-03-02T09:01:05"');
  });

  it('refuses filters it cannot read, saying what is wrong with each, and searches nothing', async () => {
    const h = await pageHarness();
    await busyTrail(h);
    const answer = await callRoute(h, auditPageRoute, { as: 'grace', path: `/audit?person=${'x'.repeat(201)}&scope=Prod%20DB&event=grant.stolen&from=yesterday&to=2026-02-30T10:00` });
    expect(answer).toMatchObject({ kind: 'page', status: 400 });
    const markup = markupOf(answer);
    expect(markup).toContain('Some filters need fixing');
    expect(markup).toContain('Enter a principal id: at most 200 characters');
    expect(markup).toContain('Enter a scope name');
    expect(markup).toContain('Choose an event from the list.');
    expect(markup).toContain('“yesterday” is not a date and time');
    expect(markup).toContain('“2026-02-30T10:00” is not a date and time');
    expect(markup).toContain('aria-describedby="event-problem" aria-invalid="true"');
    expect(rowsOf(markup)).toEqual([]);

    const backwards = markupOf(await callRoute(h, auditPageRoute, { as: 'grace', path: '/audit?from=2026-03-02T10:00&to=2026-03-02T09:00' }));
    expect(backwards).toContain('The end is before the start.');
    const badPage = markupOf(await callRoute(h, auditPageRoute, { as: 'grace', path: '/audit?before=-1' }));
    expect(badPage).toContain('That page link is not valid');
    const badExport = await callRoute(h, auditExportRoute, { as: 'grace', path: '/audit/export?event=%3Cscript%3E' });
    expect(badExport).toMatchObject({ kind: 'page', status: 400 });
    expect(markupOf(badExport)).not.toContain('<script>');
  });

  it('pages a long trail a hundred at a time with an “older records” link that keeps the filters', async () => {
    const h = await pageHarness();
    await h.store.transaction(async (tx) => {
      for (let i = 0; i < 230; i += 1) await tx.appendAudit({ type: 'request.reminded', actor: 'system', data: { n: i } });
    });
    const first = markupOf(await callRoute(h, auditPageRoute, { as: 'grace', path: '/audit?event=request.reminded' }));
    expect(rowsOf(first)).toHaveLength(100);
    expect(rowsOf(first)[0]).toBe('230');
    expect(first).toContain('href="/audit?event=request.reminded&amp;before=131" rel="next">Older records</a>');
    const second = markupOf(await callRoute(h, auditPageRoute, { as: 'grace', path: '/audit?event=request.reminded&before=131' }));
    expect(rowsOf(second)[0]).toBe('130');
    const last = markupOf(await callRoute(h, auditPageRoute, { as: 'grace', path: '/audit?event=request.reminded&before=31' }));
    expect(rowsOf(last)).toHaveLength(30);
    expect(last).not.toContain('Older records');
    expect(last).toContain('>Newest records</a>');
  });

  it('exports the filtered view as JSON lines, oldest first, whose records re-verify', async () => {
    const h = await pageHarness();
    await busyTrail(h);
    const whole = await linesOf(h, '/audit/export');
    expect(whole).toEqual(await h.store.listAudit(0, 1000));
    const verifier = new AuditChainVerifier();
    for (const record of whole) expect(verifier.push(record)).toBe(true);
    expect(verifier.finish(await h.store.getAuditHead())).toMatchObject({ ok: true, records: whole.length });

    const daves = await linesOf(h, '/audit/export?person=dave');
    expect(daves.length).toBeGreaterThan(0);
    expect(daves.map((r) => r.seq)).toEqual([...daves.map((r) => r.seq)].sort((a, b) => a - b));
    // Not contiguous, so not a chain on its own; but each record's hash follows from its own prevHash.
    for (const { hash, ...rest } of daves) expect(hashAuditRecord(rest)).toBe(hash);
    expect(await linesOf(h, '/audit/export?scope=deploy')).toEqual([]);
  });

  it('shows where a tampered trail breaks', async () => {
    const h = await pageHarness();
    await busyTrail(h);
    const tampered = tamperWith(h.store, 3, (record) => ({ ...record, actor: 'mallory' }));
    const markup = markupOf(await callRoute({ ...h, store: tampered }, auditPageRoute, { as: 'grace', path: '/audit' }));
    expect(markup).toContain('<strong>Chain broken at record #3:</strong> record 3 was altered: its content does not match its hash.');
    expect(markup).toContain('role="alert"');
    expect(markup).toContain('href="/audit?before=4"');
  });

  it('refuses the audit trail to someone who is neither admin nor auditor, even if a route let them in', async () => {
    const h = await pageHarness();
    await busyTrail(h);
    const refused = await callRoute(h, auditPageRoute, { as: 'alice', path: '/audit' }).catch((error: unknown) => error);
    expect(isElevateError(refused, 'forbidden')).toBe(true);
    const exported = await callRoute(h, auditExportRoute, { as: 'dave', path: '/audit/export' }).catch((error: unknown) => error);
    expect(isElevateError(exported, 'forbidden')).toBe(true);
  });
});

/** The store as someone who edited one row behind its back would leave it: every read sees the edit. */
function tamperWith(store: Store, seq: number, edit: (record: AuditRecord) => AuditRecord): Store {
  const alter = (records: AuditRecord[]) => records.map((record) => (record.seq === seq ? edit(record) : record));
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'listAudit') return async (after: number, limit: number) => alter(await target.listAudit(after, limit));
      if (property === 'searchAudit') return async (...args: Parameters<Store['searchAudit']>) => alter(await target.searchAudit(...args));
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
