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

export type SpendParse = { ok: true; days: DailySpend[]; rows: number } | { ok: false; errors: string[] };

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

/** `today` (the org's local day) refuses rows dated later, as `log` does: spend not yet incurred is a typo. */
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
  let rows = 0;
  lines.slice(1).forEach((line, index) => {
    if (line.trim() === '') return;
    const n = index + 2;
    const cells = splitCsvLine(line);
    const day = cells[at.date] ?? '';
    const channel = cells[at.channel] ?? '';
    const spendText = (cells[at.spend_usd] ?? '').replace(/[$,\s]/g, '');
    const spend = Number(spendText);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
      errors.push(`line ${n}: date must be YYYY-MM-DD — found "${day}"`);
    else if (opts.today !== undefined && day > opts.today) errors.push(`line ${n}: ${day} is in the future; today is ${opts.today}`);
    else if (spendText === '' || !Number.isFinite(spend) || spend < 0)
      errors.push(`line ${n}: spend_usd must be a number ≥ 0 — found "${cells[at.spend_usd] ?? ''}"`);
    else {
      rows++;
      const total = byDay.get(day) ?? { cents: 0, channels: new Set<string>() };
      // Cents as integers: summing many small spends in floating point drifts.
      total.cents += Math.round(spend * 100);
      if (channel) total.channels.add(channel);
      byDay.set(day, total);
    }
  });
  if (errors.length) return { ok: false, errors };
  const days = [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, t]) => ({ day, spend: t.cents / 100, channels: [...t.channels].sort() }));
  return { ok: true, days, rows };
}
