import type { LocalDay } from '../../metrics/types.js';
import { localDayOf } from '../../metrics/periods.js';
import type { CollectedValue } from '../source.js';
import { parseSmartleadInstant, type Campaign, type CampaignLead } from './schemas.js';

/** Pure mappers from Smartlead campaign figures to daily values. */

export function isActive(campaign: Campaign): boolean {
  return campaign.status.toUpperCase() === 'ACTIVE';
}

function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Leads queued and leads contacted over the trailing window: the inputs of every stock figure. */
export interface QueueFigures {
  /** Σ `campaign_lead_stats.notStarted` over active campaigns. */
  queued: number;
  /** Σ `unique_lead_count` over the window. */
  contacted: number;
  windowDays: number;
}

export function averagePerDay(figures: QueueFigures): number {
  return round(figures.contacted / figures.windowDays);
}

export function leadsInQueueValue(metricId: string, day: LocalDay, figures: QueueFigures): CollectedValue {
  return { metricId, day, value: figures.queued };
}

export function averageContactedValue(metricId: string, day: LocalDay, figures: QueueFigures): CollectedValue {
  return { metricId, day, value: averagePerDay(figures), numerator: figures.contacted, denominator: figures.windowDays };
}

/**
 * Runway in days = leads queued ÷ average leads contacted per day, stored as a ratio (numerator = queue,
 * denominator = average per day) so the engine divides sums. With no sends in the window the runway is unbounded:
 * the denominator is 0, `value` is a 0 placeholder (the column is numeric) and a warning says why; readers must
 * use numerator/denominator (num > 0, den = 0 → "∞ (no sends)").
 */
export function runwayValue(metricId: string, day: LocalDay, figures: QueueFigures): CollectedValue {
  const perDay = averagePerDay(figures);
  const base = { metricId, day, numerator: figures.queued, denominator: perDay };
  if (perDay > 0) return { ...base, value: round(figures.queued / perDay) };
  const window = `the last ${figures.windowDays} day${figures.windowDays === 1 ? '' : 's'}`;
  const warning =
    figures.queued > 0
      ? `no leads contacted in ${window}: runway is unbounded (∞, no sends)`
      : `no leads queued and none contacted in ${window}`;
  return { ...base, value: 0, warnings: [warning] };
}

/** Counts leads by the local day they were added to a campaign, keeping only days inside `[from, to]`. */
export function tallySequenced(
  into: Map<LocalDay, number>,
  leads: readonly CampaignLead[],
  timezone: string,
  from: LocalDay,
  to: LocalDay,
): void {
  for (const lead of leads) {
    const day = localDayOf(parseSmartleadInstant(lead.created_at), timezone);
    if (day < from || day > to) continue;
    into.set(day, (into.get(day) ?? 0) + 1);
  }
}

export function sequencedValues(metricId: string, days: readonly LocalDay[], tally: ReadonlyMap<LocalDay, number>): CollectedValue[] {
  return days.map((day) => ({ metricId, day, value: tally.get(day) ?? 0 }));
}
