import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEAMS_CHANNEL_COMMANDS, TEAMS_PERSONAL_COMMANDS } from '../../../src/adapters/teams/commands/help-text.ts';
import { buildTeamsPackage } from '../../../src/cli/teams-package.ts';

const dir = new URL('../../../manifests/teams/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as Record<string, any>;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(new URL(file, dir));
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * The official JSON schema (npm `@microsoft/app-manifest`) is not installed here, so this checks
 * the schema's required fields and documented limits for manifest v1.17 by hand.
 */
describe('the Teams app manifest', () => {
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
