import { checkEntryDay, parsePlainNumber } from '../../metrics/entry-validation.js';
import type { LocalDay } from '../../metrics/types.js';

/**
 * Ad platforms export spend as CSV; Scorecard takes `date,channel,spend_usd` (header required, any column order,
 * extra columns ignored) and turns it into one spend figure per day. Pure: text in, daily totals or line errors out.
 */

export interface DailySpend {
  day: LocalDay;
  spend: number;
  channels: string[];
}

/** Spend of one channel (as written in the CSV) on one day, summed over its rows. */
export interface ChannelDaySpend {
  day: LocalDay;
  channel: string;
  spend: number;
}

export type SpendParse = { ok: true; days: DailySpend[]; byChannel: ChannelDaySpend[]; rows: number } | { ok: false; errors: string[] };

const REQUIRED = ['date', 'channel', 'spend_usd'] as const;

/** Splits one CSV line, honouring double-quoted fields ("Google, search") and doubled quotes inside them. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

/** `today` (the org's local day) rejects future dates; without it only the calendar and the 2000 floor are checked. */
export function parseAdSpendCsv(text: string, opts: { today?: LocalDay } = {}): SpendParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((column) => !header.includes(column));
  if (missing.length)
    return {
      ok: false,
      errors: [
        `line 1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected a header like date,channel,spend_usd)`,
      ],
    };
  const at = Object.fromEntries(REQUIRED.map((c) => [c, header.indexOf(c)])) as Record<(typeof REQUIRED)[number], number>;

  const errors: string[] = [];
  const byDay = new Map<LocalDay, { cents: number; channels: Set<string> }>();
  const byChannel = new Map<string, ChannelDaySpend & { cents: number }>();
  let rows = 0;
  lines.slice(1).forEach((line, index) => {
    if (line.trim() === '') return;
    const n = index + 2;
    const cells = splitCsvLine(line);
    const day = cells[at.date] ?? '';
    const channel = cells[at.channel] ?? '';
    const spendText = (cells[at.spend_usd] ?? '').replace(/[$,\s]/g, '');
    const parsed = parsePlainNumber(spendText);
    const spend = parsed.ok ? parsed.value : Number.NaN;
    const dayProblem = checkEntryDay(day, opts.today ?? '9999-12-31');
    if (dayProblem && !/^\d{4}-\d{2}-\d{2}$/.test(day)) errors.push(`line ${n}: date must be YYYY-MM-DD — found "${day}"`);
    else if (dayProblem) errors.push(`line ${n}: date "${day}": ${dayProblem}`);
    else if (!parsed.ok || spend < 0) errors.push(`line ${n}: spend_usd must be a number ≥ 0 — found "${cells[at.spend_usd] ?? ''}"`);
    else if (parsed.decimals > 2)
      errors.push(`line ${n}: spend_usd has more than 2 decimals (cents) — found "${cells[at.spend_usd] ?? ''}"`);
    else {
      rows++;
      const total = byDay.get(day) ?? { cents: 0, channels: new Set<string>() };
      // Cents as integers: summing many small spends in floating point drifts.
      total.cents += Math.round(spend * 100);
      if (channel) total.channels.add(channel);
      byDay.set(day, total);
      const key = `${day}\n${channel}`;
      const entry = byChannel.get(key) ?? { day, channel, spend: 0, cents: 0 };
      entry.cents += Math.round(spend * 100);
      byChannel.set(key, entry);
    }
  });
  if (errors.length) return { ok: false, errors };
  const days = [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, t]) => ({ day, spend: t.cents / 100, channels: [...t.channels].sort() }));
  const channels = [...byChannel.values()].map(({ day, channel, cents }) => ({ day, channel, spend: cents / 100 }));
  return { ok: true, days, byChannel: channels, rows };
}
