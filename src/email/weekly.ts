import type { WeeklyRow, WeeklyScorecard } from '../report/weekly.js';
import type { Attention, Owner } from '../report/attention.js';
import { dayRange, localTime, STATUS_EMOJI, STATUS_WORD, summaryLine } from '../report/text.js';
import { formatAge } from '../metrics/format.js';
import { frame, html, STATUS_COLOR, STYLE, type SafeHtml } from './html.js';
import type { EmailContent, EmailRenderOptions } from './message.js';

/** The weekly scorecard as an email: "needs attention" first, then one table per group, in HTML and plain text. */

/** "Dana (dana@example.com)" → the configured name when there is one, else the owner as configured. */
const ownerText = (o: Owner) => o.ownerName ?? o.owner;
const withOwner = (text: string, o: Owner) => (ownerText(o) ? `${text} — ${ownerText(o)}` : text);
const percent = (change: number) => `${change > 0 ? '+' : '−'}${Math.round(Math.abs(change) * 100)} %`;

/** The view's "needs attention" section as lines, in the order the view model gives: reds, worse, stale, missing, movers. */
export function attentionLines(attention: Attention): string[] {
  return [
    ...attention.red.map((r) =>
      withOwner(
        `${STATUS_EMOJI.red} ${r.name}: ${r.thisWeek} against ${r.goal}, ${r.missText}${r.weeks > 1 ? `, red ${r.weeks} weeks in a row` : ''}`,
        r,
      ),
    ),
    ...attention.changed.map((c) =>
      withOwner(`${STATUS_EMOJI[c.from]}→${STATUS_EMOJI[c.to]} ${c.name} turned ${STATUS_WORD[c.to]}: ${c.lastWeek} → ${c.thisWeek}`, c),
    ),
    ...attention.stale.map(
      (s) =>
        `${STATUS_EMOJI.stale} ${s.source} has no fresh figure for ${formatAge(s.hours)}: ${s.metrics.map((m) => m.name).join(', ')}${
          s.owners.length > 0 ? ` — ${s.owners.map(ownerText).filter(Boolean).join(', ')}` : ''
        }`,
    ),
    ...attention.missing.map((m) => withOwner(`${STATUS_EMOJI.no_data} ${m.name}: no number logged this week`, m)),
    ...attention.movers.map((m) => `${m.change > 0 ? '↑' : '↓'} ${m.name}: ${m.lastWeek} → ${m.thisWeek} (${percent(m.change)})`),
  ];
}

export function weeklySubject(view: WeeklyScorecard): string {
  return `${view.org}: weekly scorecard ${view.period.label} (${dayRange(view.period.start, view.period.end)}) — ${view.summary.red} red`;
}

const statusText = (row: WeeklyRow) =>
  row.status === 'stale' && row.staleHours !== null
    ? `${STATUS_EMOJI.stale} stale ${formatAge(row.staleHours)}`
    : `${STATUS_EMOJI[row.status]} ${STATUS_WORD[row.status]}`;

const COLUMNS = ['Metric', 'Owner', 'Goal', 'This week', 'Last week', 'QTD avg', '13-week trend', 'Status'] as const;
const RIGHT = new Set([2, 3, 4, 5]);

function weeklyHtml(view: WeeklyScorecard, opts: EmailRenderOptions): string {
  const period = `${dayRange(view.period.start, view.period.end)} · ${view.period.timezone} · generated ${localTime(view.generatedAt, view.period.timezone)}`;
  const attention = attentionLines(view.attention);
  const sections: SafeHtml[] = [
    html`<h1 style="${STYLE.title}">${view.org} — Weekly scorecard ${view.period.label}</h1><p style="${STYLE.muted}">${period}</p><p style="margin:8px 0 0 0;font-size:15px;">${summaryLine(view.summary)}</p>`,
    html`<div style="${STYLE.attention}"><h2 style="${STYLE.h2}">Needs attention</h2>${
      attention.length === 0
        ? html`<p style="margin:0;">Nothing this week: no metric is off track or stale.</p>`
        : html`<ul style="margin:0;padding-left:18px;">${attention.map((line) => html`<li style="margin:2px 0;">${line}</li>`)}</ul>`
    }</div>`,
    html`<table role="presentation" style="${STYLE.table}" cellpadding="0" cellspacing="0"><tr>${COLUMNS.map((c, i) => html`<th style="${RIGHT.has(i) ? STYLE.thRight : STYLE.th}">${c}</th>`)}</tr>${view.groups.map(
      (group) =>
        html`<tr><td colspan="${COLUMNS.length}" style="${STYLE.group}">${group.name}</td></tr>${group.rows.map(
          (row) =>
            html`<tr><td style="${STYLE.td}">${row.name}</td><td style="${STYLE.td}">${row.ownerName ?? row.owner ?? '—'}</td><td style="${STYLE.tdRight}">${row.goal}</td><td style="${STYLE.tdRight}"><strong>${row.thisWeek}</strong></td><td style="${STYLE.tdRight}">${row.lastWeek}</td><td style="${STYLE.tdRight}">${row.qtdAvg}</td><td style="${STYLE.td}font-family:monospace;">${row.trend}</td><td style="${STYLE.td}color:${STATUS_COLOR[row.status] ?? '#1f2328'};white-space:nowrap;">${statusText(row)}</td></tr>`,
        )}`,
    )}</table>`,
  ];
  const footer: SafeHtml[] = [];
  if (opts.hidden > 0) footer.push(html`<p style="${STYLE.muted}">${hiddenNote(opts.hidden)}</p>`);
  if (opts.link)
    footer.push(html`<p style="margin:8px 0;"><a href="${opts.link}" style="${STYLE.button}">Open the scorecard in your browser</a></p>`);
  footer.push(
    html`<p style="${STYLE.muted}">Sent by Scorecard. Figures are the cached daily snapshots as of ${localTime(view.generatedAt, view.period.timezone)}.</p>`,
  );
  sections.push(html`${footer}`);
  return frame(weeklySubject(view), sections);
}

function hiddenNote(hidden: number): string {
  return `${hidden} restricted metric${hidden === 1 ? ' is' : 's are'} left out of this copy; people with access receive them.`;
}

function weeklyText(view: WeeklyScorecard, opts: EmailRenderOptions): string {
  const lines: string[] = [
    `${view.org} — Weekly scorecard ${view.period.label}`,
    `${dayRange(view.period.start, view.period.end)} · ${view.period.timezone} · generated ${localTime(view.generatedAt, view.period.timezone)}`,
    summaryLine(view.summary),
    '',
    'NEEDS ATTENTION',
  ];
  const attention = attentionLines(view.attention);
  if (attention.length === 0) lines.push('  Nothing this week: no metric is off track or stale.');
  for (const line of attention) lines.push(`  - ${line}`);
  for (const group of view.groups) {
    lines.push('', group.name.toUpperCase());
    for (const row of group.rows) {
      lines.push(`  ${row.name}: ${row.thisWeek} (goal ${row.goal}) — ${statusText(row)}`);
      lines.push(
        `    last week ${row.lastWeek} · QTD avg ${row.qtdAvg} · trend ${row.trend}${(row.ownerName ?? row.owner) ? ` · owner ${row.ownerName ?? row.owner}` : ''}`,
      );
    }
  }
  lines.push('');
  if (opts.hidden > 0) lines.push(hiddenNote(opts.hidden));
  if (opts.link) lines.push(`Open the scorecard in your browser: ${opts.link}`);
  lines.push('Sent by Scorecard.');
  return `${lines.join('\n')}\n`;
}

export function renderWeeklyEmail(view: WeeklyScorecard, opts: EmailRenderOptions): EmailContent {
  return { subject: weeklySubject(view), html: weeklyHtml(view, opts), text: weeklyText(view, opts) };
}
