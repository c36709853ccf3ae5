import type { Goal, Metric } from '../config/schema.js';
import type { Status, StatusKind } from '../metrics/types.js';
import { formatAmount } from '../metrics/format.js';

/**
 * What needs attention this week, put before any table: reds with how far off and for how long, metrics that got
 * worse since last week, stale sources and missing manual numbers with their owners, and the biggest movers. Pure:
 * built from the weekly rows, so a view narrowed to what one person may see is recounted the same way.
 */

/** The fields of a weekly row that attention and the summary read. */
export interface AttentionInput {
  id: string;
  name: string;
  owner: string | null;
  ownerName: string | null;
  source: string;
  unit: Metric['unit'];
  goal: string;
  goalSpec: Goal | null;
  thisWeek: string;
  lastWeek: string;
  status: StatusKind;
  /** This week's and last week's colour against the goal alone (staleness aside). */
  basis: Status['basis'];
  lastWeekBasis: Status['basis'];
  /** Consecutive weeks, ending this week, whose goal colour was red; 0 when this week is not red. */
  redWeeks: number;
  staleHours: number | null;
  connection: 'connected' | 'not_connected' | 'manual';
  values: { thisWeek: number | null; lastWeek: number | null };
}

export interface Owner {
  /** As configured: email, Slack user id (U…) or user group id (S…); null when the metric has none. */
  owner: string | null;
  /** `owner_name` from the config, for surfaces without Slack mentions. */
  ownerName: string | null;
}

export interface RedItem extends Owner {
  id: string;
  name: string;
  thisWeek: string;
  goal: string;
  /** "18 short", "2.5 h over", "4 pts short" — the distance to the goal's nearest bound. */
  missText: string;
  /** The miss as a share of that bound (0.14 = 14 %); null when the bound is 0. */
  missRatio: number | null;
  /** Weeks in a row it has been red, this one included. */
  weeks: number;
}

export interface ChangedItem extends Owner {
  id: string;
  name: string;
  from: 'green' | 'yellow';
  to: 'yellow' | 'red';
  lastWeek: string;
  thisWeek: string;
}

export interface StaleSource {
  source: string;
  /** Age of the oldest snapshot among its metrics. */
  hours: number;
  metrics: { id: string; name: string }[];
  owners: Owner[];
}

export interface MissingItem extends Owner {
  id: string;
  name: string;
}

export interface Mover {
  id: string;
  name: string;
  lastWeek: string;
  thisWeek: string;
  /** (this − last) ÷ |last|: 0.25 = up 25 %. */
  change: number;
  /** Whether the move is toward the goal; null without a one-sided goal. */
  better: boolean | null;
}

export interface Attention {
  red: RedItem[];
  changed: ChangedItem[];
  stale: StaleSource[];
  missing: MissingItem[];
  movers: Mover[];
}

/** Every status once, with its own symbol in the renderers: no count stands for two things. */
export type Summary = Record<StatusKind, number>;

/** A move smaller than this is noise, not a mover. */
export const MOVER_MIN_CHANGE = 0.2;
export const MOVERS_SHOWN = 3;

const RANK: Record<Status['basis'], number> = { green: 0, yellow: 1, red: 2, no_goal: -1, no_data: -1 };

/** Each metric once (a metric listed in two groups is one metric), in first-seen order. */
function unique<T extends { id: string }>(rows: Iterable<T>): T[] {
  const seen = new Map<string, T>();
  for (const row of rows) if (!seen.has(row.id)) seen.set(row.id, row);
  return [...seen.values()];
}

export function summarize(rows: Iterable<AttentionInput>): Summary {
  const summary: Summary = { green: 0, yellow: 0, red: 0, no_data: 0, no_goal: 0, stale: 0 };
  for (const row of unique(rows)) summary[row.status]++;
  return summary;
}

/** The goal bound a value is measured against: the violated side of a range, else the goal's value. */
function boundOf(goal: Goal, value: number): number | undefined {
  if (goal.op !== 'between') return goal.value;
  if (goal.min !== undefined && value < goal.min) return goal.min;
  return goal.max ?? goal.min;
}

function missOf(row: AttentionInput): { text: string; ratio: number | null } {
  const value = row.values.thisWeek;
  const bound = row.goalSpec && value !== null ? boundOf(row.goalSpec, value) : undefined;
  if (value === null || bound === undefined) return { text: `vs goal ${row.goal}`, ratio: null };
  const amount = Math.abs(value - bound);
  return {
    text: `${formatAmount(amount, row.unit)} ${value < bound ? 'short' : 'over'}`,
    ratio: bound === 0 ? null : amount / Math.abs(bound),
  };
}

function betterOf(goal: Goal | null, change: number): boolean | null {
  if (goal?.op === '>=') return change > 0;
  if (goal?.op === '<=') return change < 0;
  return null;
}

const ownerOf = (row: AttentionInput): Owner => ({ owner: row.owner, ownerName: row.ownerName });

export function buildAttention(rows: Iterable<AttentionInput>): Attention {
  const all = unique(rows);

  const red = all
    .filter((row) => row.basis === 'red')
    .map((row): RedItem => {
      const miss = missOf(row);
      return {
        id: row.id,
        name: row.name,
        ...ownerOf(row),
        thisWeek: row.thisWeek,
        goal: row.goal,
        missText: miss.text,
        missRatio: miss.ratio,
        weeks: Math.max(1, row.redWeeks),
      };
    })
    // Longest-running first, then the furthest off.
    .sort((a, b) => b.weeks - a.weeks || (b.missRatio ?? 0) - (a.missRatio ?? 0));

  const changed = all
    .filter((row) => RANK[row.lastWeekBasis] >= 0 && RANK[row.basis] > RANK[row.lastWeekBasis])
    .map(
      (row): ChangedItem => ({
        id: row.id,
        name: row.name,
        ...ownerOf(row),
        from: row.lastWeekBasis as ChangedItem['from'],
        to: row.basis as ChangedItem['to'],
        lastWeek: row.lastWeek,
        thisWeek: row.thisWeek,
      }),
    );

  const bySource = new Map<string, StaleSource>();
  for (const row of all) {
    if (row.status !== 'stale' || row.staleHours === null) continue;
    let entry = bySource.get(row.source);
    if (!entry) {
      entry = { source: row.source, hours: row.staleHours, metrics: [], owners: [] };
      bySource.set(row.source, entry);
    }
    entry.hours = Math.max(entry.hours, row.staleHours);
    entry.metrics.push({ id: row.id, name: row.name });
    if (row.owner !== null && !entry.owners.some((o) => o.owner === row.owner)) entry.owners.push(ownerOf(row));
  }

  const missing = all
    .filter((row) => row.connection === 'manual' && row.values.thisWeek === null)
    .map((row): MissingItem => ({ id: row.id, name: row.name, ...ownerOf(row) }));

  const movers = all
    .flatMap((row): Mover[] => {
      const { thisWeek, lastWeek } = row.values;
      if (thisWeek === null || lastWeek === null || lastWeek === 0) return [];
      const change = (thisWeek - lastWeek) / Math.abs(lastWeek);
      if (Math.abs(change) < MOVER_MIN_CHANGE) return [];
      return [
        { id: row.id, name: row.name, lastWeek: row.lastWeek, thisWeek: row.thisWeek, change, better: betterOf(row.goalSpec, change) },
      ];
    })
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))
    .slice(0, MOVERS_SHOWN);

  return { red, changed, stale: [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source)), missing, movers };
}

/** Consecutive red weeks ending with the last entry of `basis`. */
export function redStreak(basis: Status['basis'][]): number {
  let weeks = 0;
  for (let i = basis.length - 1; i >= 0 && basis[i] === 'red'; i--) weeks++;
  return weeks;
}
