import { html } from 'hono/html';
import type { Attention, Owner } from '../../report/attention.js';
import type { Html } from '../html.js';

/** The "needs attention" section of /scorecard: the weekly view model's own list, before any table. */

export const ownerText = (o: Owner): string => o.ownerName ?? o.owner ?? 'no owner';

export function attentionSection(attention: Attention): Html {
  const items: Html[] = [
    ...attention.red.map(
      (r) =>
        html`<li><a href="/metrics/${encodeURIComponent(r.id)}">${r.name}</a>: ${r.thisWeek}, ${r.missText} (goal ${r.goal})${r.weeks > 1 ? `, off track ${r.weeks} weeks in a row` : ''} — ${ownerText(r)}</li>`,
    ),
    ...attention.changed.map(
      (c) =>
        html`<li><a href="/metrics/${encodeURIComponent(c.id)}">${c.name}</a> turned ${c.to === 'red' ? 'off track' : 'near miss'}: ${c.lastWeek} → ${c.thisWeek} — ${ownerText(c)}</li>`,
    ),
    ...attention.stale.map(
      (s) =>
        html`<li>${s.source} has not refreshed for ${Math.round(s.hours)} h: ${s.metrics.map((m) => m.name).join(', ')} — ${s.owners.map(ownerText).join(', ')}</li>`,
    ),
    ...attention.missing.map(
      (m) => html`<li><a href="/metrics/${encodeURIComponent(m.id)}">${m.name}</a>: no number logged this week — ${ownerText(m)}</li>`,
    ),
  ];
  const movers = attention.movers.map(
    (m) =>
      html`<li><a href="/metrics/${encodeURIComponent(m.id)}">${m.name}</a>: ${m.lastWeek} → ${m.thisWeek} (${m.change > 0 ? 'up' : 'down'} ${Math.round(Math.abs(m.change) * 100)} %${m.better === null ? '' : m.better ? ', toward the goal' : ', away from the goal'})</li>`,
  );
  return html`<section aria-labelledby="attention-title" class="attention">
  <h2 id="attention-title">Needs attention</h2>
  ${items.length > 0 ? html`<ul>${items}</ul>` : html`<p>Nothing needs attention this week.</p>`}
  ${movers.length > 0 ? html`<h3>Biggest moves</h3><ul>${movers}</ul>` : ''}
</section>`;
}
