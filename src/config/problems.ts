import { readFileSync } from 'node:fs';

/** One thing wrong with the configuration: the key (env name or file path) and what is expected. */
export interface ConfigProblem {
  key: string;
  message: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads a secret from `NAME`, or from the file named by `NAME_FILE` (Docker/Kubernetes secrets).
 * Setting both is a problem, as is an unreadable file; the secret itself never enters a message.
 */
export function readSecret(env: Env, name: string, problems: ConfigProblem[]): string | undefined {
  const direct = nonEmpty(env[name]);
  const file = nonEmpty(env[`${name}_FILE`]);
  if (direct !== undefined && file !== undefined) {
    problems.push({ key: name, message: `set either ${name} or ${name}_FILE, not both` });
    return undefined;
  }
  if (file === undefined) return direct;
  try {
    const value = readFileSync(file, 'utf8').trim();
    if (value === '') problems.push({ key: `${name}_FILE`, message: `file ${file} is empty` });
    return value === '' ? undefined : value;
  } catch (error) {
    problems.push({ key: `${name}_FILE`, message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` });
    return undefined;
  }
}

export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** Thrown once, at start-up, with every problem found. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], source = 'configuration') {
    super(`Invalid ${source}:\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
