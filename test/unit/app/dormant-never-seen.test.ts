import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { applyConfig } from '../../../src/app/apply-config.ts';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { parseElevateConfig } from '../../../src/config/elevate-file.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { sequentialIds } from '../../support/core-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const FILE = `
admins: [erin]
principals:
  - { id: erin }
  - { id: deploy-bot, kind: service }
scopes:
  - name: admin
    description: Full admin
    oauth_scope: admin
    audience: https://api.example
    max_duration: 1h
    approvers: [erin]
    requesters: [deploy-bot]
    policy: { dormant_after_days: 30 }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [admin] }
`;

async function organisationDefinedAt(clock: FakeClock) {
  const store = new MemoryStore(clock);
  await applyConfig({ store, clock }, parseElevateConfig(FILE), { actor: 'config:elevate.yaml', source: { file: 'elevate.yaml', sha256: 'abc' } });
  return { store, clock, ids: sequentialIds(), logger: silentLogger() };
}

const askForAdmin = (deps: Awaited<ReturnType<typeof organisationDefinedAt>>) =>
  requestElevation(deps, { actor: { principalId: 'deploy-bot' }, scopeName: 'admin', duration: '1h', reason: 'deploy', source: 'api' });

describe('the dormant-account rule for a principal never seen', () => {
  it('auto-denies a service account defined months ago and never used that suddenly asks for admin', async () => {
    const clock = new FakeClock('2026-01-05T10:00:00.000Z');
    const deps = await organisationDefinedAt(clock);
    expect((await deps.store.getPrincipal('deploy-bot'))?.createdAt).toEqual(new Date('2026-01-05T10:00:00.000Z'));
    clock.advance(120 * 86_400);
    const { request, decision } = await askForAdmin(deps);
    expect(decision).toMatchObject({ outcome: 'auto_deny', rule: 'dormant_account', reason: expect.stringMatching(/never been used in the 120 days since it was defined/) });
    expect(request.status).toBe('auto_denied');
    // Being refused is not being seen: the next try is refused too.
    expect((await askForAdmin(deps)).decision).toMatchObject({ rule: 'dormant_account' });
  });

  it('lets a principal defined recently ask, and counts from its last use after that', async () => {
    const clock = new FakeClock('2026-01-05T10:00:00.000Z');
    const deps = await organisationDefinedAt(clock);
    clock.advance(29 * 86_400);
    expect((await askForAdmin(deps)).decision).toMatchObject({ outcome: 'review' });
    clock.advance(29 * 86_400);
    expect((await askForAdmin(deps)).decision).toMatchObject({ outcome: 'review' });
  });

  it('keeps the creation time when the config file changes the principal later', async () => {
    const clock = new FakeClock('2026-01-05T10:00:00.000Z');
    const deps = await organisationDefinedAt(clock);
    clock.advance(10 * 86_400);
    await applyConfig(deps, parseElevateConfig(FILE.replace('{ id: deploy-bot, kind: service }', '{ id: deploy-bot, kind: service, name: Deploy bot }')), { actor: 'config', source: { file: 'elevate.yaml', sha256: 'def' } });
    expect(await deps.store.getPrincipal('deploy-bot')).toMatchObject({ displayName: 'Deploy bot', createdAt: new Date('2026-01-05T10:00:00.000Z') });
  });
});
