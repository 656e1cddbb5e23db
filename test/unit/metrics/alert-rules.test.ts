import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PrometheusMetrics } from '../../../src/adapters/metrics/prometheus-metrics.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const RULES_FILE = new URL('../../../manifests/prometheus/elevate-alerts.yml', import.meta.url);
const README = new URL('../../../README.md', import.meta.url);

interface Rule {
  alert: string;
  expr: string;
}

describe('the example Prometheus alert rules', () => {
  const text = readFileSync(RULES_FILE, 'utf8');
  const rules = (parse(text) as { groups: { rules: Rule[] }[] }).groups.flatMap((group) => group.rules);

  it('are the ones the README shows', () => {
    expect(readFileSync(README, 'utf8')).toContain(`\`\`\`yml\n${text}\`\`\``);
  });

  it('alert on an overdue revocation and on the revocation lag p99', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(['ElevateRevocationOverdue', 'ElevateRevocationLagHigh']);
    expect(rules[1]!.expr).toContain('histogram_quantile(0.99');
  });

  it('name only metrics Elevate exports', async () => {
    const exported = new Set((await new PrometheusMetrics({ clock: new FakeClock(), logger: silentLogger(), sweepIntervalSec: 5, overdueAfterSec: 300 }).registry.getMetricsAsJSON()).map((m) => m.name));
    const named = rules.flatMap((rule) => [...rule.expr.matchAll(/\belevate_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')));
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(exported.has(name), name).toBe(true);
  });
});
