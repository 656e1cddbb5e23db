/** What {@link sweepIntervalSec} answers for a schedule it cannot read as a fixed interval. */
export const FALLBACK_SWEEP_INTERVAL_SEC = 5;

/**
 * The interval, in seconds, between runs of a node-cron sweep schedule whose first field (seconds
 * of six fields, minutes of five) is `*`, `*\/N`, a list such as `0,15,30,45` (its smallest gap)
 * or one value (once a round), with every other field `*`. Other schedules are not a sweeper's
 * and get {@link FALLBACK_SWEEP_INTERVAL_SEC}: the answer only places the buckets of the
 * revocation lag histogram.
 */
export function sweepIntervalSec(schedule: string): number {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 6 && fields.length !== 5) return FALLBACK_SWEEP_INTERVAL_SEC;
  const [first, ...rest] = fields;
  if (first === undefined || rest.some((field) => field !== '*')) return FALLBACK_SWEEP_INTERVAL_SEC;
  const gap = smallestGap(first, 60);
  return gap === null ? FALLBACK_SWEEP_INTERVAL_SEC : gap * (fields.length === 6 ? 1 : 60);
}

function smallestGap(field: string, span: number): number | null {
  if (field === '*') return 1;
  const step = /^\*\/(\d+)$/.exec(field);
  if (step) return Math.max(1, Number(step[1]));
  if (!/^\d+(,\d+)*$/.test(field)) return null;
  const marks = [...new Set(field.split(',').map(Number))].sort((a, b) => a - b);
  // Around the round: from the last mark to the first of the next one.
  const gaps = marks.map((mark, i) => (i === 0 ? mark + span - marks.at(-1)! : mark - marks[i - 1]!));
  return Math.min(...gaps);
}
