import type { Attention, Owner } from './attention.js';
import { formatAge } from '../metrics/format.js';
import { STATUS_EMOJI } from './text.js';

/**
 * The "needs attention" section in words, shared by the terminal and Slack so both say the same thing. Each
 * renderer passes how it writes an owner (a name in the terminal, a mention in Slack) and how it escapes text.
 */

export interface AttentionWording {
  /** The owner as this surface shows it; null to leave it out. */
  owner: (owner: Owner) => string | null;
  /** Escapes metric names and figures for the surface (mrkdwn); identity for plain text. */
  escape?: (text: string) => string;
}

export interface AttentionLine {
  kind: 'red' | 'changed' | 'stale' | 'missing' | 'movers';
  text: string;
}

const percent = (ratio: number) => `${Math.round(ratio * 100)} %`;
const signedPercent = (ratio: number) => `${ratio >= 0 ? '+' : '−'}${percent(Math.abs(ratio))}`;

/** Reds first, one line each (so the first lines name every red metric), then one line per other kind present. */
export function attentionLines(attention: Attention, wording: AttentionWording): AttentionLine[] {
  const esc = wording.escape ?? ((t: string) => t);
  const by = (owner: Owner) => {
    const who = wording.owner(owner);
    return who ? ` · ${who}` : '';
  };
  const lines: AttentionLine[] = [];

  if (attention.red.length === 0) lines.push({ kind: 'red', text: `${STATUS_EMOJI.red} Nothing off track this week.` });
  for (const r of attention.red) {
    const off = r.missRatio === null ? r.missText : `${r.missText} (${percent(r.missRatio)})`;
    const streak = r.weeks > 1 ? `${r.weeks} weeks in a row` : 'first week';
    lines.push({
      kind: 'red',
      text: `${STATUS_EMOJI.red} ${esc(r.name)}: ${esc(r.thisWeek)} vs goal ${esc(r.goal)}, ${esc(off)}, ${streak}${by(r)}`,
    });
  }

  if (attention.changed.length > 0) {
    const list = attention.changed.map((c) => `${esc(c.name)} ${STATUS_EMOJI[c.from]} → ${STATUS_EMOJI[c.to]}${by(c)}`);
    lines.push({ kind: 'changed', text: `Worse than last week: ${list.join('; ')}` });
  }

  for (const s of attention.stale) {
    const owners = s.owners.map((o) => wording.owner(o)).filter((o): o is string => o !== null);
    const names = s.metrics.map((m) => esc(m.name)).join(', ');
    lines.push({
      kind: 'stale',
      text: `${STATUS_EMOJI.stale} ${esc(s.source)} has not refreshed for ${formatAge(s.hours)}: ${names}${owners.length ? ` · ${owners.join(', ')}` : ''}`,
    });
  }

  if (attention.missing.length > 0) {
    const list = attention.missing.map((m) => `${esc(m.name)}${by(m)}`);
    lines.push({ kind: 'missing', text: `Not logged this week: ${list.join('; ')}` });
  }

  if (attention.movers.length > 0) {
    const list = attention.movers.map((m) => `${esc(m.name)} ${esc(m.lastWeek)} → ${esc(m.thisWeek)} (${signedPercent(m.change)})`);
    lines.push({ kind: 'movers', text: `Biggest moves: ${list.join('; ')}` });
  }
  return lines;
}
