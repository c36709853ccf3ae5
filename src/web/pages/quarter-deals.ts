import { html } from 'hono/html';
import type { QuarterDeals, QuarterDealsFigure } from '../../report/quarter-deals.js';
import type { Html } from '../html.js';

/** The "Quarter summary" section of /scorecard: the weekly view's quarter deals, with their definition beneath. */

/** How old the snapshot is, and whether it is stale, in words (the page, the PDF). */
export function quarterDealsAsOf(view: QuarterDeals): string {
  if (view.status === 'no_snapshot') return `No snapshot yet: HubSpot's deals for ${view.quarter} have not been collected.`;
  const when = `HubSpot snapshot of ${view.snapshotDay}`;
  return view.status === 'stale' ? `Stale: ${when}, ${view.ageText} old; the last good figures are shown.` : `${when}.`;
}

const ROWS: { key: 'won' | 'lost' | 'open' | 'total'; label: string }[] = [
  { key: 'won', label: 'Won' },
  { key: 'lost', label: 'Lost' },
  { key: 'open', label: 'Open' },
  { key: 'total', label: 'Total' },
];

function row(label: string, figure: QuarterDealsFigure | null): Html {
  return html`<tr><th scope="row">${label}</th><td class="num">${figure?.count ?? '—'}</td><td class="num">${figure?.amountText ?? '—'}</td></tr>`;
}

export function quarterDealsSection(view: QuarterDeals | null | undefined): Html | '' {
  if (!view) return '';
  const table =
    view.status === 'no_snapshot'
      ? ''
      : html`<table class="quarter-deals">
  <caption>Deals in ${view.quarter}</caption>
  <thead><tr><th scope="col">Deals</th><th scope="col" class="num">Count</th><th scope="col" class="num">Amount</th></tr></thead>
  <tbody>${ROWS.map((r) => row(r.label, view[r.key]))}</tbody>
</table>`;
  return html`<section aria-labelledby="quarter-title" class="quarter-summary">
  <h2 id="quarter-title">Quarter summary</h2>
  ${table}
  <p class="${view.status === 'stale' ? 'status-stale' : 'muted'}">${quarterDealsAsOf(view)}${view.amountsHidden ? ' Amounts are restricted and left out of your copy.' : ''}</p>
  <p class="muted definition">${view.definition}</p>
  ${view.warnings.length > 0 ? html`<ul class="muted">${view.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
</section>`;
}
