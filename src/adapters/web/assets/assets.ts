import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ASSETS_PATH = '/assets';

export interface Asset {
  contentType: string;
  body: Buffer;
  etag: string;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DASHBOARD_DIR = path.join(HERE, '..', 'dashboard');

/**
 * The dashboard's static files, read once: `dashboard.css` (this folder's `base.css`, then each
 * section's own stylesheet, `dashboard/<section>/*.css`, in name order) and `live.js` (the one
 * script: live updates). Pages load them from this origin only (`style-src 'self'`,
 * `script-src 'self'`), so no inline style or script is ever allowed.
 */
export function loadAssets(): ReadonlyMap<string, Asset> {
  const sections = readdirSync(DASHBOARD_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const sheets = [path.join(HERE, 'base.css')];
  for (const section of sections) {
    const dir = path.join(DASHBOARD_DIR, section);
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.css')).sort()) sheets.push(path.join(dir, file));
  }
  const assets = new Map<string, Asset>();
  assets.set('/dashboard.css', asset('text/css; charset=utf-8', Buffer.concat(sheets.map((file) => Buffer.from(`${readFileSync(file, 'utf8')}\n`)))));
  const script = path.join(HERE, 'live.js');
  if (existsSync(script)) assets.set('/live.js', asset('text/javascript; charset=utf-8', readFileSync(script)));
  return assets;
}

function asset(contentType: string, body: Buffer): Asset {
  return { contentType, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}
