import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');

/** Every TypeScript file under `src/<folder>`, with the `src/`-relative paths it imports. */
function importsUnder(folder: string): { file: string; imports: string[] }[] {
  const root = join(SRC, folder);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => {
      const file = join(root, name);
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/from '(\.[^']+)'/g)].map((match) => relative(SRC, resolve(dirname(file), match[1]!)));
      return { file: relative(SRC, file), imports };
    });
}

function offending(folder: string, forbidden: (target: string) => boolean): string[] {
  return importsUnder(folder).flatMap(({ file, imports }) => imports.filter(forbidden).map((target) => `${file} → ${target}`));
}

describe('dependency direction', () => {
  it('keeps config free of adapters', () => {
    expect(offending('config', (target) => target.startsWith('adapters/'))).toEqual([]);
  });

  it('keeps adapters out of the HTTP server’s internals', () => {
    // error-status.ts is not an internal: it is the one mapping of error codes to HTTP statuses
    // (STYLE habit 1), which the server's own answers and the HTTP API's problem documents share.
    expect(offending('adapters', (target) => target.startsWith('http/') && target !== 'http/error-status.ts')).toEqual([]);
  });

  it('keeps shared utilities free of every layer of Elevate', () => {
    expect(offending('shared', (target) => !target.startsWith('shared/'))).toEqual([]);
  });

  it('keeps app and domain free of adapters', () => {
    expect([...offending('app', (target) => target.startsWith('adapters/')), ...offending('domain', (target) => !target.startsWith('domain/'))]).toEqual([]);
  });

  it('keeps prom-client inside the metrics adapter: the core speaks to the Metrics port only', () => {
    const users = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts') && !name.startsWith('generated/'))
      .filter((name) => /from 'prom-client'/.test(readFileSync(join(SRC, name), 'utf8')));
    expect(users.every((name) => name.startsWith('adapters/metrics/'))).toBe(true);
    expect(users.length).toBeGreaterThan(0);
  });

  it('keeps ports to interfaces and types only', () => {
    const withCode = importsUnder('ports')
      .map(({ file }) => file)
      .filter((file) => /^export (?:async )?(?:class|function|const|let)\b/m.test(readFileSync(join(SRC, file), 'utf8')));
    expect(withCode).toEqual([]);
  });
});
