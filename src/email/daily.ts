import type { DailyDigest, DailyItem } from '../report/daily.js';
import { ageOf, dayLabel, localTime, STATUS_EMOJI, STATUS_WORD } from '../report/text.js';
import { frame, html, STATUS_COLOR, STYLE, type SafeHtml } from './html.js';
import type { EmailContent, EmailRenderOptions } from './message.js';

/** A daily digest (cash or support) as an email: items needing attention first, then every figure. */

export function dailySubject(view: DailyDigest): string {
  const red = view.items.filter((item) => item.status === 'red').length;
  return `${view.org}: ${view.title.toLowerCase()} digest ${dayLabel(view.period.today)} — ${red} red`;
}

const statusText = (item: DailyItem) => `${STATUS_EMOJI[item.status]} ${STATUS_WORD[item.status]}`;

function changeText(item: DailyItem): string {
  if (item.window === 'now')
    return [item.vsYesterday && `${item.vsYesterday} vs yesterday`, item.vs7Days && `${item.vs7Days} vs 7 days ago`]
      .filter(Boolean)
      .join(' · ');
  return item.last7Days ? `last 7 days ${item.last7Days}` : '';
}

function attentionOf(view: DailyDigest): string[] {
  return view.items
    .filter((item) => item.status === 'red' || item.status === 'stale')
    .map((item) => `${STATUS_EMOJI[item.status]} ${item.name}: ${item.text} (${item.reason})`);
}

function dailyHtml(view: DailyDigest, opts: EmailRenderOptions, now: Date): string {
  const tz = view.period.timezone;
  const attention = attentionOf(view);
  const sections: SafeHtml[] = [
    html`<h1 style="${STYLE.title}">${view.org} — ${view.title} digest</h1><p style="${STYLE.muted}">${dayLabel(view.period.today)} · ${tz} · generated ${localTime(view.period.generatedAt, tz)}</p>`,
    html`<div style="${STYLE.attention}"><h2 style="${STYLE.h2}">Needs attention</h2>${
      attention.length === 0
        ? html`<p style="margin:0;">Nothing today.</p>`
        : html`<ul style="margin:0;padding-left:18px;">${attention.map((text) => html`<li style="margin:2px 0;">${text}</li>`)}</ul>`
    }</div>`,
    html`<table role="presentation" style="${STYLE.table}" cellpadding="0" cellspacing="0"><tr><th style="${STYLE.th}">Metric</th><th style="${STYLE.thRight}">Value</th><th style="${STYLE.th}">Change</th><th style="${STYLE.thRight}">Goal</th><th style="${STYLE.th}">Status</th><th style="${STYLE.th}">As of</th></tr>${view.items.map(
      (item) =>
        html`<tr><td style="${STYLE.td}">${item.name}${item.window === 'yesterday' ? html`<br><span style="${STYLE.muted}">yesterday</span>` : ''}</td><td style="${STYLE.tdRight}"><strong>${item.text}</strong></td><td style="${STYLE.td}">${changeText(item)}</td><td style="${STYLE.tdRight}">${item.goal}</td><td style="${STYLE.td}color:${STATUS_COLOR[item.status] ?? '#1f2328'};white-space:nowrap;">${statusText(item)}</td><td style="${STYLE.td}${STYLE.muted}">${ageOf(item.asOf, now)}</td></tr>`,
    )}</table>`,
  ];
  if (opts.hidden > 0) sections.push(html`<p style="${STYLE.muted}">${hiddenNote(opts.hidden)}</p>`);
  if (opts.link)
    sections.push(html`<p style="margin:8px 0;"><a href="${opts.link}" style="${STYLE.button}">Open the scorecard in your browser</a></p>`);
  return frame(dailySubject(view), sections);
}

function hiddenNote(hidden: number): string {
  return `${hidden} restricted figure${hidden === 1 ? ' is' : 's are'} left out of this copy; people with access receive them.`;
}

function dailyText(view: DailyDigest, opts: EmailRenderOptions, now: Date): string {
  const tz = view.period.timezone;
  const lines = [
    `${view.org} — ${view.title} digest`,
    `${dayLabel(view.period.today)} · ${tz} · generated ${localTime(view.period.generatedAt, tz)}`,
    '',
    'NEEDS ATTENTION',
  ];
  const attention = attentionOf(view);
  if (attention.length === 0) lines.push('  Nothing today.');
  for (const text of attention) lines.push(`  - ${text}`);
  lines.push('');
  for (const item of view.items) {
    const change = changeText(item);
    lines.push(
      `  ${item.name}: ${item.text}${item.window === 'yesterday' ? ' (yesterday)' : ''} (goal ${item.goal}) — ${statusText(item)}`,
    );
    lines.push(`    ${[change, `as of ${ageOf(item.asOf, now)}`].filter(Boolean).join(' · ')}`);
  }
  lines.push('');
  if (opts.hidden > 0) lines.push(hiddenNote(opts.hidden));
  if (opts.link) lines.push(`Open the scorecard in your browser: ${opts.link}`);
  lines.push('Sent by Scorecard.');
  return `${lines.join('\n')}\n`;
}

export function renderDailyEmail(view: DailyDigest, opts: EmailRenderOptions, now: Date): EmailContent {
  return { subject: dailySubject(view), html: dailyHtml(view, opts, now), text: dailyText(view, opts, now) };
}

/** The digest without the items a recipient may not see. */
export function visibleDaily(view: DailyDigest, canSee: (metricId: string) => boolean): { view: DailyDigest; hidden: number } {
  const items = view.items.filter((item) => canSee(item.id));
  return { view: { ...view, items }, hidden: view.items.length - items.length };
}
