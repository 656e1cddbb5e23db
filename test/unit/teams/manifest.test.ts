import { readFileSync } from 'node:fs';
import ajvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { TEAMS_CHANNEL_COMMANDS, TEAMS_PERSONAL_COMMANDS } from '../../../src/adapters/teams/commands/help-text.ts';
import { buildTeamsPackage } from '../../../src/cli/teams-package.ts';

const dir = new URL('../../../manifests/teams/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as Record<string, any>;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The entries of an uncompressed (stored) zip, read from its local file headers. */
function storedEntries(zip: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  let offset = 0;
  while (zip.readUInt32LE(offset) === 0x04034b50) {
    const size = zip.readUInt32LE(offset + 18);
    const nameLength = zip.readUInt16LE(offset + 26);
    const extraLength = zip.readUInt16LE(offset + 28);
    const name = zip.subarray(offset + 30, offset + 30 + nameLength).toString('utf8');
    const start = offset + 30 + nameLength + extraLength;
    entries.set(name, zip.subarray(start, start + size));
    offset = start + size;
  }
  return entries;
}

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(new URL(file, dir));
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * Validated against Microsoft's own JSON schema for manifest v1.17, which npm
 * `@microsoft/app-manifest` ships offline (draft-04, hence ajv-draft-04); the hand-written checks
 * below pin the limits and choices the schema leaves open.
 */
describe('the Teams app manifest', () => {
  it('is valid against the official v1.17 schema, also as packaged with the bot id filled in', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../node_modules/@microsoft/app-manifest/build/json-schemas/teams/v1.17/MicrosoftTeams.schema.json', import.meta.url), 'utf8')) as object;
    // A CommonJS module seen from ESM: its class is the `default` of the default import.
    const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const packaged = storedEntries(buildTeamsPackage({ manifestDir: new URL('.', dir).pathname, appId: '7d1f3a52-5c3e-4f0b-9a51-3e6c2f8b0e11', publicUrl: 'https://elevate.example.com' }));
    for (const candidate of [manifest, JSON.parse(packaged.get('manifest.json')!.toString('utf8')) as unknown]) {
      const valid = validate(candidate);
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('has every field the v1.17 schema requires, within its limits', () => {
    expect(manifest.manifestVersion).toBe('1.17');
    expect(manifest.$schema).toContain('/v1.17/MicrosoftTeams.schema.json');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.id).toMatch(GUID);
    for (const key of ['name', 'websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(manifest.developer[key], `developer.${key}`).toBeTruthy();
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(manifest.developer[key]).toMatch(/^https:\/\//);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.name.full.length).toBeLessThanOrEqual(100);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
    expect(Object.keys(manifest).sort()).toEqual(['$schema', 'accentColor', 'bots', 'description', 'developer', 'icons', 'id', 'manifestVersion', 'name', 'permissions', 'validDomains', 'version'].sort());
  });

  it('has a 192×192 colour icon and a 32×32 outline icon with transparency', () => {
    expect(pngSize(manifest.icons.color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(manifest.icons.outline)).toEqual({ width: 32, height: 32 });
  });

  it('declares one bot for the 1:1 chat and teams, with the commands the bot understands', () => {
    expect(manifest.bots).toHaveLength(1);
    const [bot] = manifest.bots;
    expect(bot.botId).toMatch(GUID);
    expect(bot.scopes).toEqual(['personal', 'team']);
    const lists = Object.fromEntries(bot.commandLists.map((l: { scopes: string[]; commands: unknown[] }) => [l.scopes.join(','), l.commands]));
    expect(lists.personal).toEqual(TEAMS_PERSONAL_COMMANDS);
    expect(lists.team).toEqual(TEAMS_CHANNEL_COMMANDS);
    for (const list of bot.commandLists) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const command of list.commands) {
        expect(command.title.length).toBeLessThanOrEqual(32);
        expect(command.description.length).toBeLessThanOrEqual(128);
      }
    }
  });

  it('packages into a zip with the bot id filled in and the files at the root', () => {
    const zip = buildTeamsPackage({ manifestDir: new URL('.', dir).pathname, appId: '7d1f3a52-5c3e-4f0b-9a51-3e6c2f8b0e11', publicUrl: 'https://elevate.example.com' });
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    const text = zip.toString('latin1');
    for (const name of ['manifest.json', 'color.png', 'outline.png']) expect(text).toContain(name);
    expect(text).toContain('"botId": "7d1f3a52-5c3e-4f0b-9a51-3e6c2f8b0e11"');
    expect(text).toContain('"elevate.example.com"');
    expect(() => buildTeamsPackage({ manifestDir: new URL('.', dir).pathname, appId: 'not-a-guid' })).toThrow(/GUID/);
  });
});
