import { describe, expect, it } from 'vitest';
import { addMappingRoute, operationsPageRoute, removeMappingRoute } from '../../../../src/adapters/web/dashboard/operations/operations-routes.ts';
import { mapChannel } from '../../../../src/app/chat/map-channel.ts';
import { AuthorizationServerReachability } from '../../../../src/app/authorization-server-reachability.ts';
import { issueGrant } from '../../../../src/app/issue-grant.ts';
import { requestElevation } from '../../../../src/app/request-elevation.ts';
import { reviewRequest } from '../../../../src/app/review-request.ts';
import { isElevateError } from '../../../../src/domain/errors.ts';
import type { Grant } from '../../../../src/domain/grant.ts';
import { aChannelMapping, aGrant, aRequest } from '../../../support/builders.ts';
import { slackUser } from '../../../support/core-harness.ts';
import { callRoute, CSRF, markupOf, pageHarness, type PageHarness } from '../audit/page-harness.ts';

/** alice asks, bob approves 2 min later, the grant is issued: active for an hour. */
async function activeGrant(h: PageHarness, reason = 'INC-7 slow queries'): Promise<Grant> {
  const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason, source: 'slack' });
  h.clock.advance(120);
  await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
  return (await issueGrant(h, request.id)).grant;
}

async function insertGrants(h: PageHarness, ...grants: Grant[]): Promise<void> {
  await h.store.transaction(async (tx) => {
    for (const grant of grants) {
      await tx.insertRequest(aRequest({ id: grant.requestId, requesterId: 'carol', status: 'approved' }));
      await tx.insertGrant(grant);
    }
  });
}

const open = (h: PageHarness, path = '/operations') => callRoute(h, operationsPageRoute, { as: 'erin', path }).then(markupOf);

describe('operations page', () => {
  it('lists live grants with who approved them and when they end, and never their token', async () => {
    const h = await pageHarness();
    const grant = await activeGrant(h);
    h.clock.advance(600);
    const markup = await open(h);
    const token = [...h.issuer.live.keys()][0]!;
    const sealed = (await h.store.getGrant(grant.id))!.tokenSealed!;
    expect(markup).toContain('<dt>Active grants</dt><dd>1 <span class="muted">(prod-db-admin: 1)</span></dd>');
    expect(markup).toContain(`<code>${grant.id}</code></td><td data-label="Requester">alice</td><td data-label="Scope">prod-db-admin</td>`);
    expect(markup).toContain('bob <span class="muted small">at <time datetime="2026-03-02T09:02:00.000Z">2026-03-02 09:02:00 UTC</time></span>');
    expect(markup).toContain('<time datetime="2026-03-02T10:02:00.000Z">2026-03-02 10:02:00 UTC</time> <span class="muted small">(in 50 min)</span>');
    expect(markup).not.toContain(token);
    expect(markup).not.toContain(sealed);
    expect(markup).toContain('No revocation is owed');
  });

  it('lists owed revocations, marking the overdue ones, behind the same counts as the metrics', async () => {
    const h = await pageHarness();
    const now = h.clock.now();
    const ago = (sec: number) => new Date(now.getTime() - sec * 1000);
    const waiting = aGrant({ id: 'g-waiting', status: 'active', endsAt: ago(30) });
    const retrying = aGrant({ id: 'g-retrying', status: 'revoking', endReason: 'expired', endsAt: ago(3600), revokeAttempts: 4, lastError: 'temporarily_unavailable', nextAttemptAt: new Date(now.getTime() + 60_000) });
    const endedEarly = aGrant({ id: 'g-early', status: 'revoking', endReason: 'ended_by_requester', endsAt: new Date(now.getTime() + 1800_000) });
    await insertGrants(h, waiting, retrying, endedEarly);
    const markup = await open(h);
    expect(markup).toContain('<dt>Revocations pending</dt><dd>3</dd>');
    expect(markup).toContain('<dt>Revocations overdue</dt><dd><strong class="ops-bad">1</strong></dd>');
    const rows = markup.slice(markup.indexOf('id="pending-heading"'));
    expect(rows.indexOf('g-retrying')).toBeLessThan(rows.indexOf('g-waiting'));
    expect(rows).toMatch(/<tr class="ops-overdue"><td data-label="Grant"><code>g-retrying<\/code>[\s\S]*<strong class="ops-bad">Overdue<\/strong>: revoking \(expired\), 4 attempt\(s\) <span class="muted small">last error: temporarily_unavailable<\/span>/);
    expect(rows).toContain('ended, waiting for the sweeper');
    expect(rows).toMatch(/<code>g-early<\/code>[\s\S]*<td data-label="Ended">early <span class="muted small">\(was due <time datetime="2026-03-02T09:30:00.000Z">/);
    expect(rows).toContain('revoking (ended by requester)');
    expect(rows).not.toContain('v1.sealed-token-bytes');
  });

  it('says when the AS answers, when it does not, and when nothing checks it', async () => {
    let answer: () => Promise<void> = async () => {};
    let probes = 0;
    const probe = { issuer: 'https://id.example.com', probe: () => ((probes += 1), answer()) };
    const h = await pageHarness();
    const reachability = new AuthorizationServerReachability(probe, h.clock, { timeoutMs: 50 });
    const withProbe = { ...h, authorizationServer: reachability };
    expect(await open(withProbe)).toMatch(/Authorization server <code>https:\/\/id.example.com<\/code>: <strong>reachable<\/strong>, answered in \d+ ms/);
    answer = async () => {
      throw new Error('its metadata answered HTTP 503');
    };
    expect(await open(withProbe)).toContain('<strong>reachable</strong>');
    expect(probes).toBe(1);
    h.clock.advance(16);
    const down = await open(withProbe);
    expect(down).toContain('<strong>unreachable</strong> — its metadata answered HTTP 503');
    expect(down).toContain('role="alert"');
    answer = () => new Promise(() => {});
    h.clock.advance(16);
    expect(await open(withProbe)).toContain('<strong>unreachable</strong> — no answer within 50 ms');
    expect(await open(h)).toContain('Authorization server: not checked here');
  });

  it('charts the revocation lag per hour of the last day with its figures in a table, or says there was none', async () => {
    const h = await pageHarness();
    expect(await open(h)).toContain('No grant that ended on schedule had its revocation confirmed in the last 24 hours');
    h.clock.set(new Date('2026-03-02T12:30:00.000Z'));
    const revokedAt = (iso: string, lagMs: number, extra: Partial<Grant> = {}) =>
      aGrant({ status: 'revoked', tokenSealed: null, endReason: 'expired', revokedAt: new Date(iso), endsAt: new Date(Date.parse(iso) - lagMs), revocationLagMs: lagMs, ...extra });
    await insertGrants(
      h,
      revokedAt('2026-03-02T09:10:00Z', 400),
      revokedAt('2026-03-02T09:20:00Z', 800),
      revokedAt('2026-03-02T09:30:00Z', 12_000),
      revokedAt('2026-03-02T12:05:00Z', 2500),
      revokedAt('2026-03-01T12:05:00Z', 99_000), // before the window (it starts at 13:00 yesterday)
      revokedAt('2026-03-02T10:00:00Z', 50_000, { endReason: 'ended_by_requester' }), // ended early: not lag
    );
    const markup = await open(h);
    expect(markup).toContain('<svg class="lag-chart" viewBox="0 0 720 280"');
    expect(markup).toContain('role="img" aria-labelledby="lag-title lag-desc"');
    expect(markup).toContain('<title id="lag-title">Revocation lag, last 24 hours: p50 and p99 per hour</title>');
    expect(markup).toContain('from 2026-03-01T13:00 to 2026-03-02T13:00 UTC: 4 revocation(s) in 2 interval(s), the worst p99 12 s.');
    expect(markup).toContain('<title>2026-03-02 09:00–10:00: 3 revocation(s), p50 800 ms, p99 12 s</title>');
    expect(markup).toContain('<title>2026-03-02 12:00–13:00: 1 revocation(s), p50 2.5 s, p99 2.5 s</title>');
    expect(markup).toContain('<td data-label="Hour (UTC)">2026-03-02 09:00–10:00</td><td data-label="Revocations">3</td><td data-label="p50">800 ms</td><td data-label="p99">12 s</td>');
    expect(markup).not.toContain('99 s');
    expect(markup).not.toContain('style=');
    expect(markup).not.toContain('<script');
    // Axis: round figures up to 20 s, hours labelled.
    expect(markup).toContain('>20 s</text>');
    expect(markup).toContain('>Hour the revocation was confirmed (UTC)</text>');
    expect(markup).toContain('>13:00</text>');
  });

  it('refuses someone who is not an admin, even an auditor, if a route let them in', async () => {
    const h = await pageHarness();
    for (const who of ['grace', 'alice']) {
      const refused = await callRoute(h, operationsPageRoute, { as: who, path: '/operations' }).catch((error: unknown) => error);
      expect(isElevateError(refused, 'forbidden')).toBe(true);
      const posted = await callRoute(h, addMappingRoute, { as: who, path: '/operations/mappings', form: { csrf: CSRF, platform: 'slack', channel: 'C0NEW', scope: 'prod-db-admin' } }).catch((error: unknown) => error);
      expect(isElevateError(posted, 'forbidden')).toBe(true);
    }
    expect(await h.store.listChannelMappings({ channelId: 'C0NEW' })).toEqual([]);
  });
});

describe('reviewer-channel mappings on the operations page', () => {
  it('lists the mappings with a remove button each carrying the CSRF token', async () => {
    const h = await pageHarness();
    const markup = await open(h);
    expect(markup).toContain('<td data-label="Platform">Slack</td><td data-label="Channel"><code>C-REVIEWERS</code></td><td data-label="Scope">prod-db-admin</td>');
    expect(markup).toContain(`<form method="post" action="/operations/mappings/remove" class="inline"><input type="hidden" name="csrf" value="${CSRF}">`);
    expect(markup).toContain('<input type="hidden" name="channel" value="C-REVIEWERS">');
    expect(markup).toMatch(/<form method="post" action="\/operations\/mappings" class="stack mapping-form"[^>]*>[\s\S]*name="csrf" value="csrf-token-of-the-session"/);
  });

  it('adds and removes a mapping with the same audit records as the chat commands, marked as from the web', async () => {
    const h = await pageHarness();
    const added = await callRoute(h, addMappingRoute, { as: 'erin', path: '/operations/mappings', form: { csrf: CSRF, platform: 'teams', channel: '19:abc@thread.tacv2', scope: 'prod-db-admin' } });
    expect(added).toEqual({ kind: 'redirect', location: '/operations?notice=mapping_added' });
    expect(await h.store.listChannelMappings({ platform: 'teams' })).toEqual([{ platform: 'teams', channelId: '19:abc@thread.tacv2', scopeName: 'prod-db-admin' }]);

    const again = await callRoute(h, addMappingRoute, { as: 'erin', path: '/operations/mappings', form: { csrf: CSRF, platform: 'teams', channel: '19:abc@thread.tacv2', scope: 'prod-db-admin' } });
    expect(again).toEqual({ kind: 'redirect', location: '/operations?notice=mapping_unchanged' });

    const removed = await callRoute(h, removeMappingRoute, { as: 'erin', path: '/operations/mappings/remove', form: { csrf: CSRF, platform: 'teams', channel: '19:abc@thread.tacv2', scope: 'prod-db-admin' } });
    expect(removed).toEqual({ kind: 'redirect', location: '/operations?notice=mapping_removed' });
    const gone = await callRoute(h, removeMappingRoute, { as: 'erin', path: '/operations/mappings/remove', form: { csrf: CSRF, platform: 'teams', channel: '19:abc@thread.tacv2', scope: 'prod-db-admin' } });
    expect(gone).toEqual({ kind: 'redirect', location: '/operations?notice=mapping_absent' });

    const records = (await h.store.listAudit(0, 100)).filter((r) => r.type.startsWith('admin.mapping'));
    expect(records.map((r) => [r.type, r.actor, r.data])).toEqual([
      ['admin.mapping_added', 'erin', { action: 'add', key: 'teams:19:abc@thread.tacv2:prod-db-admin', value: { platform: 'teams', channelId: '19:abc@thread.tacv2', scopeName: 'prod-db-admin' }, via: 'web' }],
      ['admin.mapping_removed', 'erin', { action: 'remove', key: 'teams:19:abc@thread.tacv2:prod-db-admin', value: { platform: 'teams', channelId: '19:abc@thread.tacv2', scopeName: 'prod-db-admin' }, via: 'web' }],
    ]);
    // The chat command writes the same record, but for where it came from.
    await mapChannel(h, { actor: slackUser('erin'), mapping: aChannelMapping({ channelId: 'C0CHAT' }) });
    const fromChat = (await h.store.listAudit(0, 100)).at(-1)!;
    expect(Object.keys(fromChat.data).sort()).toEqual([...Object.keys(records[0]!.data), 'chatUserId'].sort());
    expect(fromChat.data).toMatchObject({ via: 'slack' });

    const page = await open(h, '/operations?notice=mapping_removed');
    expect(page).toContain('<p class="done" role="status">The reviewer channel mapping is removed.</p>');
  });

  it('shows what is wrong with a mapping at its field, keeps what was typed, and changes nothing', async () => {
    const h = await pageHarness();
    const before = await h.store.listAudit(0, 100);
    const bad = await callRoute(h, addMappingRoute, { as: 'erin', path: '/operations/mappings', form: { csrf: CSRF, platform: 'irc', channel: '<script>alert(1)</script>', scope: 'Prod DB' } });
    expect(bad).toMatchObject({ kind: 'page', status: 400 });
    const markup = markupOf(bad);
    expect(markup).toContain('The mapping was not added: see below.');
    expect(markup).toContain('Choose Slack or Microsoft Teams.');
    expect(markup).toContain('A channel id has letters, digits and : @ . _ - only');
    expect(markup).toContain('Choose a scope from the list.');
    expect(markup).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(markup).not.toContain('<script>');
    expect(markup).toContain('aria-describedby="map-channel-hint map-channel-problem" aria-invalid="true"');

    const unknown = await callRoute(h, addMappingRoute, { as: 'erin', path: '/operations/mappings', form: { csrf: CSRF, platform: 'slack', channel: 'C0NEW', scope: 'no-such-scope' } });
    expect(unknown).toMatchObject({ kind: 'page', status: 400 });
    expect(markupOf(unknown)).toContain('There is no scope called &quot;no-such-scope&quot;. Scopes: prod-db-admin.');
    expect(markupOf(unknown)).toContain('value="C0NEW"');

    const forged = await callRoute(h, removeMappingRoute, { as: 'erin', path: '/operations/mappings/remove', form: { csrf: CSRF, platform: 'slack', channel: '', scope: 'prod-db-admin' } });
    expect(forged).toMatchObject({ kind: 'page', status: 400 });
    expect(markupOf(forged)).toContain('That mapping could not be read; nothing was removed.');
    expect(await h.store.listAudit(0, 100)).toEqual(before);
    expect(await h.store.listChannelMappings()).toEqual([aChannelMapping()]);
  });

  it('renders a channel id from the config file with markup in it as text', async () => {
    const h = await pageHarness();
    await h.store.transaction((tx) => tx.addChannelMapping(aChannelMapping({ channelId: '"><img src=x onerror=alert(1)>' })));
    const markup = await open(h);
    expect(markup).not.toContain('<img');
    expect(markup).toContain('<code>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</code>');
  });
});
