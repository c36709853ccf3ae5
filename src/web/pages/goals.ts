import { html } from 'hono/html';
import type { Metric } from '../../config/schema.js';
import { GOAL_OPS } from '../../config/schema.js';
import { describedBy, fieldError, layout, type Html, type PageUser } from '../html.js';

/** /settings/goals (admins): change a goal from a date on, or for one week; every change records who, when and why. */

export type GoalField = 'metric' | 'scope' | 'from' | 'period' | 'op' | 'value' | 'min' | 'max' | 'reason';

export interface GoalFormState {
  metricId: string;
  scope: 'from' | 'week';
  from: string;
  period: string;
  op: string;
  value: string;
  min: string;
  max: string;
  reason: string;
}

export interface GoalsPage {
  metrics: { metric: Metric; current: string }[];
  state: GoalFormState;
  errors: Partial<Record<GoalField, string>>;
  saved?: string;
}

const OP_LABEL: Record<(typeof GOAL_OPS)[number], string> = {
  '>=': 'at least (≥)',
  '<=': 'at most (≤)',
  '=': 'exactly (=)',
  between: 'between',
};

export function goalsPage(page: GoalsPage, user: PageUser): Html {
  const { state, errors } = page;
  const input = (name: GoalField, label: string, value: string, type = 'text') => html`<label for="${name}">${label}</label>
  <input id="${name}" name="${name}" type="${type}" value="${value}"${describedBy(name, errors[name])}>
  ${fieldError(name, errors[name])}`;
  return layout(
    { title: 'Goals', user, current: 'goals' },
    html`<h1>Goals</h1>
${page.saved ? html`<p class="notice" role="status">${page.saved}</p>` : ''}
${Object.keys(errors).length > 0 ? html`<p class="error" role="alert">Nothing was saved: fix the fields marked below.</p>` : ''}
<table>
  <caption>Goals this week (scorecard.yml is the default; a change made here wins from its date)</caption>
  <thead><tr><th scope="col">Metric</th><th scope="col">Goal now</th></tr></thead>
  <tbody>${page.metrics.map(
    ({ metric, current }) =>
      html`<tr><th scope="row"><a href="/metrics/${encodeURIComponent(metric.id)}">${metric.name}</a></th><td>${current}</td></tr>`,
  )}</tbody>
</table>
<h2>Change a goal</h2>
<form method="post" action="/settings/goals" class="stack" novalidate>
  <input type="hidden" name="csrf" value="${user.csrf}">
  <label for="metric">Metric</label>
  <select id="metric" name="metric"${describedBy('metric', errors.metric)}>
    <option value="">Choose a metric</option>
    ${page.metrics.map(({ metric }) => html`<option value="${metric.id}"${metric.id === state.metricId ? html` selected` : ''}>${metric.name}</option>`)}
  </select>
  ${fieldError('metric', errors.metric)}
  <fieldset>
    <legend>Applies</legend>
    <label><input type="radio" name="scope" value="from"${state.scope === 'from' ? html` checked` : ''}> From a date onward</label>
    <label><input type="radio" name="scope" value="week"${state.scope === 'week' ? html` checked` : ''}> One week only (override)</label>
  </fieldset>
  ${fieldError('scope', errors.scope)}
  ${input('from', 'From (first day it applies; weeks starting on or after it)', state.from, 'date')}
  ${input('period', 'Week (for a one-week override, e.g. 2026-W52)', state.period)}
  <label for="op">Goal</label>
  <select id="op" name="op"${describedBy('op', errors.op)}>
    ${GOAL_OPS.map((op) => html`<option value="${op}"${op === state.op ? html` selected` : ''}>${OP_LABEL[op]}</option>`)}
  </select>
  ${fieldError('op', errors.op)}
  ${input('value', 'Value (for at least / at most / exactly)', state.value)}
  ${input('min', 'Minimum (for between)', state.min)}
  ${input('max', 'Maximum (for between)', state.max)}
  <label for="reason">Why</label>
  <textarea id="reason" name="reason" rows="2" maxlength="500"${describedBy('reason', errors.reason)}>${state.reason}</textarea>
  ${fieldError('reason', errors.reason)}
  <p><button type="submit">Save goal</button></p>
</form>`,
  );
}
