import { html } from 'hono/html';
import type { Metric } from '../../config/schema.js';
import { entryBoundsOf, NOTE_MAX, type EntryField } from '../../metrics/entry-validation.js';
import { formatValue } from '../../metrics/format.js';
import { describedBy, fieldError, layout, type Html, type PageUser } from '../html.js';

/** /entries/new: the `/log` modal as a form — the same metrics, rules and messages (report/log-entry.ts). */

export interface EntryFormState {
  metricId: string;
  day: string;
  value: string;
  note: string;
  onBehalfOf: string;
  /** Idempotency key: a double submit of one rendered form stores one entry. */
  key: string;
}

export interface EntryFormPage {
  metrics: Metric[];
  state: EntryFormState;
  errors: Partial<Record<EntryField, string>>;
  saved?: { metricName: string; day: string; value: string; forUser: string | null };
  today: string;
}

export function entryFormPage(page: EntryFormPage, user: PageUser): Html {
  const { state, errors } = page;
  const options = page.metrics.map((m) => {
    const bounds = entryBoundsOf(m);
    return html`<option value="${m.id}"${m.id === state.metricId ? html` selected` : ''}>${m.name} (${formatValue(bounds.min, m.unit)}–${formatValue(bounds.max, m.unit)}${bounds.decimal ? '' : ', whole numbers'})</option>`;
  });
  const saved = page.saved
    ? html`<p class="notice" role="status">Logged ${page.saved.value} ${page.saved.metricName} for ${page.saved.day}${page.saved.forUser ? ` on behalf of ${page.saved.forUser}` : ''}.</p>`
    : '';
  return layout(
    { title: 'Log activity', user, current: 'entry' },
    html`<h1>Log activity</h1>
${saved}
${Object.keys(errors).length > 0 ? html`<p class="error" role="alert">Nothing was saved: fix the fields marked below.</p>` : ''}
<form method="post" action="/entries/new" class="stack" novalidate>
  <input type="hidden" name="csrf" value="${user.csrf}">
  <input type="hidden" name="key" value="${state.key}">
  <label for="metric">Metric</label>
  <select id="metric" name="metric"${describedBy('metric', errors.metric)}>
    <option value="">Choose a metric</option>
    ${options}
  </select>
  ${fieldError('metric', errors.metric)}
  <label for="date">Date</label>
  <input id="date" name="date" type="date" max="${page.today}" value="${state.day}"${describedBy('date', errors.date)}>
  ${fieldError('date', errors.date)}
  <label for="value">Value</label>
  <input id="value" name="value" type="text" inputmode="decimal" autocomplete="off" value="${state.value}"${describedBy('value', errors.value)}>
  ${fieldError('value', errors.value)}
  <label for="note">Note (optional)</label>
  <textarea id="note" name="note" rows="3" maxlength="${NOTE_MAX}"${describedBy('note', errors.note)}>${state.note}</textarea>
  ${fieldError('note', errors.note)}
  ${
    user.admin
      ? html`<label for="on_behalf">On behalf of (Slack user id; admins only)</label>
  <input id="on_behalf" name="on_behalf" type="text" value="${state.onBehalfOf}"${describedBy('on_behalf', errors.on_behalf)}>`
      : ''
  }
  ${fieldError('on_behalf', errors.on_behalf)}
  <p><button type="submit">Log it</button></p>
</form>`,
  );
}
