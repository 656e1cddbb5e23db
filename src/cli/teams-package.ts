/**
 * Builds the Teams app package (`npm run teams:package`): manifests/teams/manifest.json with the
 * bot id set to `MicrosoftAppId` (and `validDomains` to the host of `ELEVATE_PUBLIC_URL`, when
 * set), plus the two icons, zipped (stored, no compression) to `dist/elevate-teams.zip` or the
 * path given as the first argument. Upload it in Teams → Apps → Manage your apps.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

const PLACEHOLDER_BOT_ID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function buildTeamsPackage(input: { manifestDir: string; appId: string; publicUrl?: string }): Buffer {
  if (!GUID.test(input.appId)) throw new Error('MicrosoftAppId must be the bot registration’s application id (a GUID)');
  const manifest = JSON.parse(readFileSync(join(input.manifestDir, 'manifest.json'), 'utf8')) as { bots: { botId: string }[]; validDomains?: string[] };
  for (const bot of manifest.bots) if (bot.botId === PLACEHOLDER_BOT_ID) bot.botId = input.appId;
  if (input.publicUrl) manifest.validDomains = [new URL(input.publicUrl).host];
  return zipStored([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: 'color.png', data: readFileSync(join(input.manifestDir, 'color.png')) },
    { name: 'outline.png', data: readFileSync(join(input.manifestDir, 'outline.png')) },
  ]);
}

/** A ZIP archive of stored (uncompressed) entries at the archive's root: local headers, central directory, end record. */
export function zipStored(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00, so builds are reproducible
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const appId = process.env.MicrosoftAppId ?? '';
  try {
    const zip = buildTeamsPackage({ manifestDir: join(root, 'manifests', 'teams'), appId, publicUrl: process.env.ELEVATE_PUBLIC_URL });
    const out = process.argv[2] ?? join(root, 'dist', 'elevate-teams.zip');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
    process.stdout.write(`wrote ${out} (${zip.length} bytes) for bot ${appId}\n`);
  } catch (error) {
    process.stderr.write(`cannot build the Teams package: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
