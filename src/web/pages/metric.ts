import { html } from 'hono/html';
import type { Metric } from '../../config/schema.js';
import { describeGoal } from '../../metrics/goals.js';
import { formatValue } from '../../metrics/format.js';
import type { MetricHistory } from '../../report/history.js';
import type { GoalChangeAuthor, StoredGoalChange } from '../../store/goal-changes.js';
import type { ManualEntryRow } from '../../store/types.js';
import { weeklyChart } from '../chart.js';
import { layout, statusBadge, type Html, type PageUser } from '../html.js';

/** /metrics/<id>: definition, why, source and freshness, the chart and table of every week, goal history, entries. */

export interface MetricPage {
  metric: Metric;
  history: MetricHistory;
  changes: (StoredGoalChange & GoalChangeAuthor)[];
  /** Manual metrics only: live entries, newest first. */
  entries: ManualEntryRow[] | null;
  asOf: string | null;
  /** The week in progress: its row is labelled "so far" (its status can still change). */
  currentWeek: string;
}

function goalHistory(metric: Metric, changes: MetricPage['changes']): Html {
  const rows: Html[] = [];
  if (metric.goal)
    rows.push(html`<tr><td>Default (scorecard.yml)</td><td>${describeGoal(metric.goal, metric.unit)}</td><td>—</td><td>—</td></tr>`);
  for (const h of metric.goal_history)
    rows.push(html`<tr><td>From ${h.from} (scorecard.yml)</td><td>${describeGoal(h, metric.unit)}</td><td>—</td><td>—</td></tr>`);
  for (const o of metric.goal_overrides)
    rows.push(html`<tr><td>Week ${o.period} only (scorecard.yml)</td><td>${describeGoal(o, metric.unit)}</td><td>—</td><td>—</td></tr>`);
  for (const c of changes)
    rows.push(html`<tr>
      <td>${c.period ? `Week ${c.period} only` : `From ${c.from}`}</td>
      <td>${describeGoal(c.goal, metric.unit)}</td>
      <td>${c.changedBy}, ${c.changedAt.slice(0, 16).replace('T', ' ')} UTC</td>
      <td>${c.reason ?? '—'}</td>
    </tr>`);
  if (rows.length === 0) return html`<p class="muted">No goal set.</p>`;
  return html`<table>
    <caption>Goal history (a change recorded here wins from its date; earlier weeks keep their goal)</caption>
    <thead><tr><th scope="col">Applies</th><th scope="col">Goal</th><th scope="col">Changed by, when</th><th scope="col">Why</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

function entriesTable(metric: Metric, entries: ManualEntryRow[]): Html {
  if (entries.length === 0) return html`<p class="muted">No entries yet.</p>`;
  return html`<table>
    <caption>Entries</caption>
    <thead><tr><th scope="col">Day</th><th scope="col" class="num">Value</th><th scope="col">For</th><th scope="col">Entered by, when</th><th scope="col">Note</th></tr></thead>
    <tbody>${entries.map(
      (e) => html`<tr>
        <td>${e.day}</td><td class="num">${formatValue(e.value, metric.unit)}</td><td>${e.user_id}</td>
        <td>${e.entered_by}, ${e.created_at.slice(0, 16).replace('T', ' ')} UTC</td><td>${e.note ?? ''}</td>
      </tr>`,
    )}</tbody>
  </table>`;
}

export function metricPage(page: MetricPage, user: PageUser): Html {
  const { metric, history } = page;
  const weeks = history.weeks;
  const chart = weeklyChart(
    weeks.map(({ week, evaluated }) => ({ label: week.label, value: evaluated.thisWeek.value, goal: evaluated.goal })),
    `${metric.name} by week against its goal`,
  );
  const table = [...weeks].reverse().map(
    ({ week, evaluated: w }) => html`<tr>
      <th scope="row"><a href="/scorecard/${encodeURIComponent(week.label)}">${week.label}</a>${week.label === page.currentWeek ? ' (so far)' : ''}</th>
      <td class="num">${w.thisWeek.text}</td><td>${w.goalText}</td><td>${statusBadge(w.status.kind, w.status.reason)}</td>
    </tr>`,
  );
  return layout(
    { title: metric.name, user },
    html`<h1>${metric.name}</h1>
<dl class="facts">
  <dt>Definition</dt><dd>${metric.definition}</dd>
  <dt>Why it matters</dt><dd>${metric.why}</dd>
  <dt>Calculation</dt><dd>${metric.calculation}</dd>
  ${metric.caveat ? html`<dt>Caveat</dt><dd>${metric.caveat}</dd>` : ''}
  <dt>Owner</dt><dd>${metric.owner ?? '—'}</dd>
  <dt>Source</dt><dd>${metric.source}${metric.manual ? ' (and manual entries)' : ''}</dd>
  <dt>As of</dt><dd>${page.asOf ? `${page.asOf.slice(0, 16).replace('T', ' ')} UTC` : 'no snapshot (manual entries only, or no data yet)'}</dd>
</dl>
<h2>Every week on record</h2>
${chart}
${
  weeks.length > 0
    ? html`<table>
  <caption>${metric.name} by week, newest first</caption>
  <thead><tr><th scope="col">Week</th><th scope="col" class="num">Value</th><th scope="col">Goal</th><th scope="col">Status</th></tr></thead>
  <tbody>${table}</tbody>
</table>`
    : ''
}
<h2>Goal history</h2>
${goalHistory(metric, page.changes)}
${page.entries ? html`<h2>Entries</h2>${entriesTable(metric, page.entries)}` : ''}`,
  );
}
