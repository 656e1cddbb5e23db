import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseElevateConfig } from '../../../src/config/elevate-file.ts';
import { ConfigError } from '../../../src/config/problems.ts';

const README = new URL('../../../README.md', import.meta.url);
const text = readFileSync(README, 'utf8');

/** Every ```yaml block of the README, with the line its first line of YAML is on. */
function yamlBlocks(markdown: string): { line: number; yaml: string }[] {
  const blocks: { line: number; yaml: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```yaml\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
    blocks.push({ line: i + 2, yaml: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** Inline code spans that are config-file YAML (a top-level key opening a list or a map). */
function inlineConfigYaml(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!).filter((span) => /^[a-z_]+:\s*(-\s|\{|\[)/.test(span));
}

function problemsOf(yaml: string, source: string): string[] {
  try {
    parseElevateConfig(yaml, source);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.key}: ${p.message}`);
    throw error;
  }
}

describe('the README shows only configuration that the config check accepts', () => {
  const blocks = yamlBlocks(text);

  it('has its configuration examples as ```yaml blocks', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((b) => [b.line, b.yaml] as const))('accepts the ```yaml block at README.md line %i as a config file', (line, yaml) => {
    expect(problemsOf(yaml, `README.md line ${line}`)).toEqual([]);
  });

  it('writes no config YAML inline, where this test could not check it', () => {
    expect(inlineConfigYaml(text)).toEqual([]);
  });
});
