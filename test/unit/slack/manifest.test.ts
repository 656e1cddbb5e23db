import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLACK_COMMAND } from '../../../src/config/slack.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** Slack's manifest schema, vendored so a clean clone can check the manifests offline. */
const schemaPath = resolve(root, 'manifests/slack/schema/slack-manifest.schema.json');
/** The project's shared copy, when this checkout sits beside it. */
const sharedSchemaPath = resolve(root, '../shared/schemas/slack-manifest.schema.json');
const load = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

function validator() {
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  // Slack's schema uses a non-standard `regex` keyword and the `uri` format: honour both, and
  // accept its `_note` annotations.
  ajv.addKeyword({ keyword: '_note', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'regex', type: 'string', schemaType: 'string', validate: (pattern: string, value: string) => new RegExp(pattern).test(value) });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  return ajv.compile(load(schemaPath));
}

describe.each(['manifest.http.json', 'manifest.socket-mode.json'])('manifests/slack/%s', (file) => {
  const manifest = load(`${root}manifests/slack/${file}`);

  it("is valid against Slack's app manifest schema", () => {
    const validate = validator();
    expect(validate(manifest), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('declares the command, interactivity, App Home and the events the adapter handles, with minimal bot scopes', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([DEFAULT_SLACK_COMMAND]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'im:write']);
  });

  it('points every URL at /slack/events in HTTP mode, and has none in Socket Mode', () => {
    const urls = [manifest.features.slash_commands[0].url, manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions.request_url];
    if (manifest.settings.socket_mode_enabled) expect(urls).toEqual([undefined, undefined, undefined]);
    else for (const url of urls) expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
  });
});

describe('the schema check itself', () => {
  it.runIf(existsSync(sharedSchemaPath))("uses the same schema as the project's shared copy", () => {
    expect(readFileSync(schemaPath, 'utf8')).toBe(readFileSync(sharedSchemaPath, 'utf8'));
  });

  it('rejects a manifest Slack would reject', () => {
    const validate = validator();
    expect(validate({ display_information: { name: 'x'.repeat(36) }, features: { slash_commands: [{ command: 'elevate' }] } })).toBe(false);
  });
});
