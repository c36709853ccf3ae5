import { html } from 'hono/html';
import type { WeeklyRow, WeeklyScorecard } from '../../report/weekly.js';
import { SUMMARY_ORDER, STATUS_WORD } from '../../report/text.js';
import { layout, statusBadge, type Html, type PageUser } from '../html.js';
import { attentionSection } from './attention.js';
import { quarterDealsSection } from './quarter-deals.js';

/** /scorecard and /scorecard/<week>: the weekly digest's figures as accessible tables, one per group. */

export interface ScorecardPage {
  view: WeeklyScorecard;
  hidden: number;
  previous: string;
  /** Null when the next week has not started yet. */
  next: string | null;
}

const weekHref = (label: string) => `/scorecard/${encodeURIComponent(label)}`;

function metricRow(row: WeeklyRow): Html {
  return html`<tr>
    <th scope="row"><a href="/metrics/${encodeURIComponent(row.id)}">${row.name}</a></th>
    <td>${row.ownerName ?? row.owner ?? '—'}</td>
    <td>${row.goal}</td>
    <td class="num">${row.thisWeek}</td>
    <td class="num">${row.lastWeek}</td>
    <td class="num">${row.qtdAvg}</td>
    <td>${statusBadge(row.status, row.reason)}</td>
  </tr>`;
}

export function scorecardPage(page: ScorecardPage, user: PageUser): Html {
  const { view } = page;
  const groups = view.groups.map(
    (group) => html`<table>
      <caption>${group.name}</caption>
      <thead><tr>
        <th scope="col">Metric</th><th scope="col">Owner</th><th scope="col">Goal</th>
        <th scope="col" class="num">This week</th><th scope="col" class="num">Last week</th>
        <th scope="col" class="num">QTD avg</th><th scope="col">Status</th>
      </tr></thead>
      <tbody>${group.rows.map(metricRow)}</tbody>
    </table>`,
  );
  const stale = view.freshness.stale.map((s) => html`<li>${s.name}: last data ${s.hours} h old</li>`);
  return layout(
    { title: `Scorecard ${view.period.label}`, user, current: 'scorecard' },
    html`<h1>${view.org} — weekly scorecard ${view.period.label}</h1>
<p class="muted">${view.period.start} to ${view.period.end} (${view.period.timezone})</p>
<nav class="pager" aria-label="Weeks">
  <a href="${weekHref(page.previous)}" rel="prev">← ${page.previous}</a>
  ${page.next ? html`<a href="${weekHref(page.next)}" rel="next">${page.next} →</a>` : ''}
</nav>
<div class="actions">
  <a href="${weekHref(view.period.label)}.pdf">Export PDF</a>
  <a href="/export.csv?from=${view.period.start}&amp;to=${view.period.end}&amp;grain=week">Download CSV</a>
</div>
<p id="summary">${SUMMARY_ORDER.map((kind, i) => html`${i > 0 ? ' · ' : ''}<strong>${view.summary[kind]}</strong> ${STATUS_WORD[kind]}`)}</p>
${attentionSection(view.attention)}
${groups}
${quarterDealsSection(view.quarterDeals)}
${stale.length > 0 ? html`<h2>Stale data</h2><ul>${stale}</ul>` : ''}
${view.freshness.notConnected.length > 0 ? html`<p class="muted">Not connected: ${view.freshness.notConnected.join(', ')}.</p>` : ''}
${page.hidden > 0 ? html`<p class="muted">${page.hidden} restricted metric${page.hidden === 1 ? ' is' : 's are'} left out of your copy.</p>` : ''}`,
  );
}
