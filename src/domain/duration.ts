import { ElevateError } from './errors.ts';

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };
const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * Parses a human duration such as `15m`, `1h`, `1h30m` or `2d` into whole seconds.
 * Units must appear in descending order, each at most once; zero is rejected.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim().toLowerCase();
  const match = DURATION_PATTERN.exec(trimmed);
  if (trimmed === '' || !match) {
    throw new ElevateError(
      'duration_invalid',
      `"${text.slice(0, 32)}" is not a duration: use a number followed by d, h, m or s, for example 15m, 1h or 1h30m.`,
      { details: { input: text.slice(0, 32) } },
    );
  }
  const [, d, h, m, s] = match;
  const seconds =
    Number(d ?? 0) * UNIT_SECONDS.d! + Number(h ?? 0) * UNIT_SECONDS.h! + Number(m ?? 0) * UNIT_SECONDS.m! + Number(s ?? 0);
  if (seconds <= 0) {
    throw new ElevateError('duration_invalid', 'The duration must be longer than zero.', {
      details: { input: text.slice(0, 32) },
    });
  }
  return seconds;
}

/** Formats seconds as the shortest `1h30m`-style text; the inverse of {@link parseDuration}. */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.floor(totalSeconds));
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
