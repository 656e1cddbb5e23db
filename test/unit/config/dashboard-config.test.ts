import { describe, expect, it } from 'vitest';
import { readDashboardConfig } from '../../../src/config/dashboard.ts';
import type { ConfigProblem } from '../../../src/config/problems.ts';

function read(env: Record<string, string>) {
  const problems: ConfigProblem[] = [];
  return { config: readDashboardConfig(env, problems), problems };
}

describe('the dashboard’s configuration', () => {
  it('defaults to a 30-minute idle limit and a 12-hour lifetime', () => {
    expect(read({}).config.sessions).toEqual({ idleSec: 1800, absoluteSec: 43_200 });
  });

  it('takes durations within their ranges', () => {
    expect(read({ ELEVATE_SESSION_IDLE: '15m', ELEVATE_SESSION_LIFETIME: '8h' })).toEqual({ config: { sessions: { idleSec: 900, absoluteSec: 28_800 } }, problems: [] });
  });

  it('names each bad key', () => {
    expect(read({ ELEVATE_SESSION_IDLE: 'soon' }).problems).toEqual([{ key: 'ELEVATE_SESSION_IDLE', message: 'expected a duration such as 30m, 8h or 1d' }]);
    expect(read({ ELEVATE_SESSION_IDLE: '10s' }).problems.map((p) => p.key)).toEqual(['ELEVATE_SESSION_IDLE']);
    expect(read({ ELEVATE_SESSION_LIFETIME: '30d' }).problems.map((p) => p.key)).toEqual(['ELEVATE_SESSION_LIFETIME']);
    expect(read({ ELEVATE_SESSION_IDLE: '2h', ELEVATE_SESSION_LIFETIME: '1h' }).problems).toEqual([{ key: 'ELEVATE_SESSION_LIFETIME', message: 'must be at least ELEVATE_SESSION_IDLE' }]);
  });
});
