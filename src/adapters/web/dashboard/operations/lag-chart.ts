import type { RevocationLagBucket } from '../../../../ports/store.ts';
import { html, type SafeHtml } from '../../../../shared/html/html.ts';
import { spanText } from '../time-words.ts';

export interface LagChartInput {
  from: Date;
  to: Date;
  bucketSec: number;
  buckets: readonly RevocationLagBucket[];
}

const WIDTH = 720;
const HEIGHT = 280;
const PLOT = { left: 64, right: 12, top: 28, bottom: 44 };
const P50_FILL = '#7aa7ff';
const P99_FILL = '#0b57d0';
const AXIS = '#5b5b5b';

/**
 * The revocation lag of the last day as an inline SVG bar chart, p50 and p99 side by side per
 * interval, built with `html` like every other markup (no script, no style attribute: colours are
 * presentation attributes). It carries its own `<title>` and `<desc>`, each bar its figures as a
 * tooltip, and the same numbers follow as a table for those who cannot see the chart.
 */
export function lagChart(input: LagChartInput): SafeHtml {
  const slots = Math.round((input.to.getTime() - input.from.getTime()) / (input.bucketSec * 1000));
  const total = input.buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  if (total === 0) {
    return html`<p class="empty">No grant that ended on schedule had its revocation confirmed in the last 24 hours, so there is no lag to chart.</p>`;
  }
  const worst = Math.max(...input.buckets.map((bucket) => bucket.p99Ms));
  const top = niceCeiling(Math.max(worst, 1));
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const slotWidth = plotWidth / slots;
  const barWidth = Math.max(1, (slotWidth - 4) / 2);
  const y = (ms: number) => PLOT.top + plotHeight - (Math.max(0, ms) / top) * plotHeight;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => top * share);
  const labelEvery = Math.max(1, Math.ceil(slots / 8));

  const bars = input.buckets.map((bucket) => {
    const slot = Math.round((bucket.start.getTime() - input.from.getTime()) / (input.bucketSec * 1000));
    const x = PLOT.left + slot * slotWidth + 2;
    const label = `${intervalText(bucket.start, input.bucketSec)}: ${bucket.count} revocation(s), p50 ${lagText(bucket.p50Ms)}, p99 ${lagText(bucket.p99Ms)}`;
    return html`<g class="lag-bucket"><title>${label}</title>
<rect class="lag-p50" x="${fixed(x)}" y="${fixed(y(bucket.p50Ms))}" width="${fixed(barWidth)}" height="${fixed(y(0) - y(bucket.p50Ms))}" fill="${P50_FILL}"></rect>
<rect class="lag-p99" x="${fixed(x + barWidth)}" y="${fixed(y(bucket.p99Ms))}" width="${fixed(barWidth)}" height="${fixed(y(0) - y(bucket.p99Ms))}" fill="${P99_FILL}"></rect></g>`;
  });
  const yAxis = ticks.map(
    (value) => html`<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${fixed(y(value))}" y2="${fixed(y(value))}" stroke="#d9d9d9" stroke-width="1"></line>
<text x="${PLOT.left - 6}" y="${fixed(y(value) + 4)}" text-anchor="end" font-size="11" fill="${AXIS}">${lagText(value)}</text>`,
  );
  const xAxis = Array.from({ length: slots }, (_, slot) => slot)
    .filter((slot) => slot % labelEvery === 0)
    .map((slot) => {
      const start = new Date(input.from.getTime() + slot * input.bucketSec * 1000);
      return html`<text x="${fixed(PLOT.left + slot * slotWidth)}" y="${HEIGHT - PLOT.bottom + 16}" font-size="11" fill="${AXIS}">${start.toISOString().slice(11, 16)}</text>`;
    });
  const description = `Revocation lag per ${input.bucketSec === 3600 ? 'hour' : spanText(input.bucketSec * 1000)} from ${input.from.toISOString().slice(0, 16)} to ${input.to.toISOString().slice(0, 16)} UTC: ${total} revocation(s) in ${input.buckets.length} interval(s), the worst p99 ${lagText(worst)}. The table below gives every figure.`;
  return html`<figure class="lag-figure">
<svg class="lag-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="lag-title lag-desc" xmlns="http://www.w3.org/2000/svg">
<title id="lag-title">Revocation lag, last 24 hours: p50 and p99 per hour</title>
<desc id="lag-desc">${description}</desc>
${yAxis}
<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${fixed(y(0))}" y2="${fixed(y(0))}" stroke="${AXIS}" stroke-width="1"></line>
<line x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${fixed(y(0))}" stroke="${AXIS}" stroke-width="1"></line>
${bars}
${xAxis}
<text x="${fixed(PLOT.left + plotWidth / 2)}" y="${HEIGHT - 8}" text-anchor="middle" font-size="12" fill="${AXIS}">Hour the revocation was confirmed (UTC)</text>
<text x="14" y="${fixed(PLOT.top + plotHeight / 2)}" text-anchor="middle" font-size="12" fill="${AXIS}" transform="${`rotate(-90 14 ${fixed(PLOT.top + plotHeight / 2)})`}">Lag after the grant's end</text>
<rect x="${WIDTH - PLOT.right - 150}" y="6" width="12" height="12" fill="${P50_FILL}"></rect><text x="${WIDTH - PLOT.right - 134}" y="16" font-size="12" fill="${AXIS}">p50</text>
<rect x="${WIDTH - PLOT.right - 90}" y="6" width="12" height="12" fill="${P99_FILL}"></rect><text x="${WIDTH - PLOT.right - 74}" y="16" font-size="12" fill="${AXIS}">p99</text>
</svg>
<figcaption class="small muted">Lag = when the authorization server confirmed the revocation, minus when the grant was due to end; grants that ended on schedule only.</figcaption>
</figure>
${lagTable(input)}`;
}

/** The chart's figures, interval by interval, for screen readers and for copying. */
function lagTable(input: LagChartInput): SafeHtml {
  return html`<div class="table-wrap"><table class="lag-table"><caption class="small muted">Revocation lag per hour (intervals with revocations)</caption>
<thead><tr><th scope="col">Hour (UTC)</th><th scope="col">Revocations</th><th scope="col">p50</th><th scope="col">p99</th></tr></thead>
<tbody>${input.buckets.map(
    (bucket) => html`<tr><td data-label="Hour (UTC)">${intervalText(bucket.start, input.bucketSec)}</td><td data-label="Revocations">${bucket.count}</td><td data-label="p50">${lagText(bucket.p50Ms)}</td><td data-label="p99">${lagText(bucket.p99Ms)}</td></tr>`,
  )}</tbody></table></div>`;
}

/** `850 ms`, `1.2 s`, `4 min`: lags read best in the unit they are in. */
export function lagText(ms: number): string {
  if (ms === 0) return '0';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  return `${ms < 0 ? '−' : ''}${spanText(ms)}`;
}

function intervalText(start: Date, bucketSec: number): string {
  const end = new Date(start.getTime() + bucketSec * 1000);
  return `${start.toISOString().slice(0, 10)} ${start.toISOString().slice(11, 16)}–${end.toISOString().slice(11, 16)}`;
}

/** The next 1, 2 or 5 × 10ⁿ at or above `value`, so the axis reads in round figures. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function fixed(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}
