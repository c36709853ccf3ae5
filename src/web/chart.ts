import { html } from 'hono/html';
import type { Goal } from '../config/schema.js';
import type { Html } from './html.js';

/**
 * A server-drawn SVG line chart of weekly values against the goal (a dashed step line, or a band for "between").
 * No script: it prints, and screen readers get the title and the table that follows it on the page.
 */

export interface ChartPoint {
  label: string;
  value: number | null;
  goal: Goal | undefined;
}

const W = 720;
const H = 240;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

function goalLevels(goal: Goal | undefined): number[] {
  if (!goal) return [];
  if (goal.op === 'between') return [goal.min, goal.max].filter((v): v is number => v !== undefined);
  return goal.value === undefined ? [] : [goal.value];
}

const fmt = (n: number) =>
  Math.abs(n) >= 1000 ? `${Math.round(n / 100) / 10}K` : Math.abs(n) >= 10 ? String(Math.round(n)) : String(Math.round(n * 100) / 100);

export function weeklyChart(points: ChartPoint[], title: string): Html {
  const values = points.flatMap((p) => [...(p.value === null ? [] : [p.value]), ...goalLevels(p.goal)]);
  if (points.length === 0 || values.length === 0) return html`<p class="muted">No weeks on record yet.</p>`;
  const low = Math.min(0, ...values);
  const high = Math.max(...values, low + 1) * 1.08;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v: number) => PAD.top + plotH - ((v - low) / (high - low)) * plotH;

  const segments: string[] = [];
  let current: string[] = [];
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else current.push(`${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
  });
  if (current.length) segments.push(current.join(' '));

  const goalLines = points.flatMap((p, i) =>
    goalLevels(p.goal).map((level) => {
      const half = points.length === 1 ? plotW / 2 : plotW / (points.length - 1) / 2;
      return html`<line x1="${(x(i) - half).toFixed(1)}" x2="${(x(i) + half).toFixed(1)}" y1="${y(level).toFixed(1)}" y2="${y(level).toFixed(1)}" class="goal"/>`;
    }),
  );
  const ticks = [low, (low + high) / 2, high].map(
    (v) => html`<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`,
  );
  const step = Math.max(1, Math.ceil(points.length / 8));
  const labels = points
    .map((p, i) => ({ p, i }))
    .filter(({ i }) => i % step === 0 || i === points.length - 1)
    .map(({ p, i }) => {
      // The end labels hug the plot's edges so they are not cut off.
      const anchor = points.length > 1 && i === 0 ? 'start' : points.length > 1 && i === points.length - 1 ? 'end' : 'middle';
      return html`<text x="${x(i).toFixed(1)}" y="${H - 8}" text-anchor="${anchor}">${p.label}</text>`;
    });
  const dots = points.flatMap((p, i) =>
    p.value === null
      ? []
      : [html`<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="2.5"><title>${p.label}: ${fmt(p.value)}</title></circle>`],
  );

  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">
  <title id="chart-title">${title}</title>
  <line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(low).toFixed(1)}" y2="${y(low).toFixed(1)}" class="axis"/>
  ${ticks}
  ${goalLines}
  ${segments.map((s) => html`<polyline points="${s}"/>`)}
  ${dots}
  ${labels}
</svg>`;
}
