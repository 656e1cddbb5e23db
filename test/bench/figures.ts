export { percentile } from '../../src/scheduler/sweeper.ts';

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The median of some runs' figures; with an even number of runs the mean of the middle two, so no figure leans either way. */
export function median(values: readonly (number | null)[]): number {
  const sorted = values.map((v) => v ?? Number.NaN).sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return round(sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2, 3);
}

/** A whole number of 1 or more from a command-line option, or the process ends saying which option is wrong. */
export function wholeOption(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name} must be a whole number of 1 or more\n`);
    process.exit(2);
  }
  return value;
}
