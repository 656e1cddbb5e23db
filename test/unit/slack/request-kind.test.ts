import { describe, expect, it } from 'vitest';
import { slackRequestShape } from '../../../src/adapters/slack/http/request-kind.ts';

const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('the shape of a request to /slack/events', () => {
  it('accepts what Slack sends, in the encoding it sends it in', () => {
    expect(slackRequestShape(FORM, form({ command: '/elevate', text: 'x' }))).toEqual({ ok: true, kind: 'slash_command' });
    expect(slackRequestShape(`${FORM}; charset=utf-8`, form({ payload: JSON.stringify({ type: 'block_actions' }) }))).toEqual({ ok: true, kind: 'interactivity' });
    expect(slackRequestShape('application/json', JSON.stringify({ type: 'url_verification', challenge: 'c' }))).toEqual({ ok: true, kind: 'url_verification' });
    expect(slackRequestShape('application/json', JSON.stringify({ type: 'event_callback', event: { type: 'app_home_opened' } }))).toEqual({ ok: true, kind: 'event_callback' });
  });

  it.each([
    ['command fields as JSON', 'application/json', JSON.stringify({ command: '/elevate', text: 'x' })],
    ['a payload as JSON', 'application/json', JSON.stringify({ payload: '{"type":"block_actions"}' })],
    ['an event_callback without its event', 'application/json', JSON.stringify({ type: 'event_callback' })],
    ['a url_verification without its challenge', 'application/json', JSON.stringify({ type: 'url_verification' })],
    ['an unknown envelope', 'application/json', JSON.stringify({ type: 'block_actions' })],
    ['JSON that is not an object', 'application/json', '[1]'],
    ['an envelope as a form payload', FORM, form({ payload: JSON.stringify({ type: 'event_callback', event: {} }) })],
    ['a form with both a command and a payload', FORM, form({ command: '/elevate', payload: '{"type":"block_actions"}' })],
    ['a form with neither', FORM, form({ text: 'x' })],
    ['a payload that is not JSON', FORM, form({ payload: 'nope' })],
    ['another content type', 'text/plain', form({ command: '/elevate' })],
    ['no content type', undefined, form({ command: '/elevate' })],
  ])('refuses %s', (_name, contentType, body) => {
    expect(slackRequestShape(contentType, body).ok).toBe(false);
  });
});
