import { RE2JS } from 're2js';
import { ElevateError } from './errors.ts';

/** Longer than any ticket-number pattern needs; keeps the compiled program small too. */
export const MAX_REASON_PATTERN_LENGTH = 200;

/**
 * A scope's `reason_pattern`, compiled with RE2 (the re2js port): matching takes time linear in
 * the reason, whatever the pattern, so a pattern such as `^(a+)+$` cannot hang the process on a
 * crafted reason the way a backtracking engine (JavaScript's RegExp) would. The price is RE2's
 * syntax: no backreferences and no lookaround, which a reason check does not need.
 */
export interface ReasonPattern {
  test(reason: string): boolean;
}

/** Why `pattern` cannot be a reason pattern, or null when it can. For config validation. */
export function reasonPatternProblem(pattern: string): string | null {
  if (pattern.length > MAX_REASON_PATTERN_LENGTH) return `expected at most ${MAX_REASON_PATTERN_LENGTH} characters`;
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (error) {
    // re2js says what is wrong ("invalid escape sequence: `\1`"); backreferences and lookaround are the usual cause.
    return `expected a regular expression in RE2 syntax (no backreferences or lookaround): ${(error as Error).message}`;
  }
}

const compiled = new Map<string, ReasonPattern>();

/** Compiles once per pattern; throws `config_invalid` for a pattern stored before it was checked. */
export function compileReasonPattern(pattern: string, scopeName: string): ReasonPattern {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const problem = reasonPatternProblem(pattern);
  if (problem !== null) {
    throw new ElevateError('config_invalid', `The reason pattern of scope ${scopeName} is not usable (${problem}); an admin must fix it in the configuration.`, {
      details: { scope: scopeName },
    });
  }
  const re = RE2JS.compile(pattern);
  const reasonPattern = { test: (reason: string) => re.test(reason) };
  if (compiled.size > 1000) compiled.clear();
  compiled.set(pattern, reasonPattern);
  return reasonPattern;
}
