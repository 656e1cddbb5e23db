import { describe, expect, it } from 'vitest';
import { rateLimitAwareFetch } from '../../../src/adapters/slack/rate-limits.ts';
import { teamsErrorLabel } from '../../../src/adapters/teams/api-errors.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { RateLimitWaitExceededError } from '../../../src/shared/rate-limit-lanes.ts';
import { eventually } from '../../support/eventually.ts';
import { RecordingMetrics } from '../../support/recording-metrics.ts';

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('chat API failures and rate-limit waits, as metrics', () => {
  it('counts Slack errors by method and a closed error class, never by what Slack or a person wrote', async () => {
    const metrics = new RecordingMetrics();
    const answers: (() => Response | Promise<Response>)[] = [
      () => json({ ok: true, ts: '1.2' }),
      () => json({ ok: false, error: 'channel_not_found' }),
      () => json({ ok: false, error: 'some_new_error <with text>' }),
      () => new Response('bad gateway', { status: 502 }),
      () => Promise.reject(new TypeError('fetch failed')),
    ];
    const send = rateLimitAwareFetch({ logger: silentLogger(), timeoutMs: 0, metrics, fetch: async () => answers.shift()!() });
    const body = 'channel=C1&text=hello';
    await send('https://slack.test/api/chat.postMessage', { method: 'POST', body });
    await send('https://slack.test/api/chat.postMessage', { method: 'POST', body });
    await send('https://slack.test/api/made.upMethod', { method: 'POST', body: 'x=1' });
    await send('https://slack.test/api/chat.update', { method: 'POST', body });
    await expect(send('https://slack.test/api/views.open', { method: 'POST', body: '{}' })).rejects.toThrow('fetch failed');
    await eventually(async () => metrics.of('chatApiError').length === 4);
    expect(metrics.of('chatApiError')).toEqual(
      expect.arrayContaining([
        ['slack', 'chat.postMessage', 'channel_not_found'],
        ['slack', 'other', 'other'],
        ['slack', 'chat.update', 'http_error'],
        ['slack', 'views.open', 'network'],
      ]),
    );
  });

  it('counts each 429 wait of Slack by method and seconds', async () => {
    const metrics = new RecordingMetrics();
    const answers = [json({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': '0' }), json({ ok: true })];
    const send = rateLimitAwareFetch({ logger: silentLogger(), timeoutMs: 0, metrics, fetch: async () => answers.shift()! });
    const response = await send('https://slack.test/api/chat.update', { method: 'POST', body: 'channel=C1&ts=1.2' });
    expect(response.status).toBe(200);
    expect(metrics.of('chatRateLimitWait')).toEqual([['slack', 'chat.update', 0]]);
    expect(metrics.of('chatApiError')).toEqual([]);
  });

  it('classes Bot Connector failures in a closed list', () => {
    const rest = (statusCode: number) => Object.assign(new Error('RestError'), { statusCode });
    expect(teamsErrorLabel(rest(403))).toBe('http_403');
    expect(teamsErrorLabel(rest(503))).toBe('http_5xx');
    expect(teamsErrorLabel(rest(418))).toBe('http_other');
    expect(teamsErrorLabel(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('network');
    expect(teamsErrorLabel(Object.assign(new Error('no'), { name: 'NoConversationError' }))).toBe('no_conversation');
    expect(teamsErrorLabel(new RateLimitWaitExceededError('gave up'))).toBe('rate_limit_wait_exceeded');
    expect(teamsErrorLabel(new Error('Bob said <at>hi</at>'))).toBe('other');
  });
});
