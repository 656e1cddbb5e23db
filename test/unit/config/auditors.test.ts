import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { applyConfig } from '../../../src/app/apply-config.ts';
import { readAuditTrail } from '../../../src/app/read-audit-trail.ts';
import { loadElevateConfigFile, parseElevateConfig } from '../../../src/config/elevate-file.ts';
import { ConfigError } from '../../../src/config/problems.ts';
import { describeChange } from '../../../src/domain/desired-state.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const FILE = `
admins: [erin]
auditors: [grace]
principals:
  - { id: alice }
  - { id: erin }
  - { id: grace }
`;
const source = { file: 'elevate.yaml', sha256: 'abc' };

function problemsOf(yaml: string): { key: string; message: string }[] {
  try {
    parseElevateConfig(yaml);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('auditors in the config file', () => {
  it('marks the listed principals as auditors, apart from admins', () => {
    const state = parseElevateConfig(FILE);
    expect(state.principals.map((p) => [p.id, p.isAdmin, p.isAuditor])).toEqual([
      ['alice', false, false],
      ['erin', true, false],
      ['grace', false, true],
    ]);
  });

  it('names an auditor that is not a declared principal', () => {
    expect(problemsOf(FILE.replace('auditors: [grace]', 'auditors: [grace, mallory]'))).toEqual([
      { key: 'auditors[1]', message: 'unknown principal "mallory" (declare it under principals)' },
    ]);
    expect(problemsOf(FILE.replace('auditors: [grace]', 'auditors: grace'))).toEqual([{ key: 'auditors', message: 'expected a list of principal ids' }]);
  });

  it('applies a change of auditors as a change of the principal, audited', async () => {
    const store = new MemoryStore(new FakeClock());
    await applyConfig({ store }, parseElevateConfig(FILE), { actor: 'config:elevate.yaml', source });
    expect((await store.getPrincipal('grace'))?.isAuditor).toBe(true);
    const changes = await applyConfig({ store }, parseElevateConfig(FILE.replace('auditors: [grace]', 'auditors: [alice]')), { actor: 'config:elevate.yaml', source });
    expect(changes.map(describeChange)).toEqual(['~ principal alice: isAuditor false → true', '~ principal grace: isAuditor true → false']);
    expect((await store.getPrincipal('grace'))?.isAuditor).toBe(false);
    expect((await store.getPrincipal('alice'))?.isAuditor).toBe(true);
  });

  it('ships an auditor in the example configuration', () => {
    const state = loadElevateConfigFile(new URL('../../../src/config/elevate.example.yaml', import.meta.url).pathname);
    expect(state.principals.filter((p) => p.isAuditor).map((p) => p.id)).toEqual(['grace']);
    expect(state.principals.filter((p) => p.isAdmin).map((p) => p.id)).toEqual(['erin']);
  });
});

describe('reading the audit trail through the API use case', () => {
  it('lets admins and auditors read it, and nobody else', async () => {
    const store = new MemoryStore(new FakeClock());
    await applyConfig({ store }, parseElevateConfig(FILE), { actor: 'config:elevate.yaml', source });
    const asGrace = await readAuditTrail({ store }, { principalId: 'grace', via: 'api' }, { afterSeq: 0, limit: 100 });
    const asErin = await readAuditTrail({ store }, { principalId: 'erin', via: 'api' }, { afterSeq: 0, limit: 100 });
    expect(asGrace).toHaveLength(4);
    expect(asErin).toEqual(asGrace);
    const refused = await readAuditTrail({ store }, { principalId: 'alice', via: 'api' }, { afterSeq: 0, limit: 100 }).catch((error: unknown) => error);
    expect(isElevateError(refused, 'forbidden')).toBe(true);
  });
});
