import { afterEach, describe, expect, it } from 'vitest';
import { startSlackWorld, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** How often `"key":` opens a field in a raw JSON line (JSON.parse would keep only the last). */
function occurrences(line: string, key: string): number {
  return line.split(`"${key}":`).length - 1;
}

describe('log lines of the Slack adapter', () => {
  it('name their component once, on a refusal at the front door and on a handled command', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-1 forged', { signature: `v0=${'0'.repeat(64)}` });
    await world.command('alice', 'prod-db-admin 1h INC-1 investigating');
    const slackLines = world.logs.lines.filter((line) => line.includes('"component":"slack"'));
    expect(slackLines.some((line) => line.includes('failed verification'))).toBe(true);
    expect(slackLines.length).toBeGreaterThan(1);
    for (const line of world.logs.lines) expect(occurrences(line, 'component'), line).toBeLessThanOrEqual(1);
  });
});
