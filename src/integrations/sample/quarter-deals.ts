import { daysInRange, quarterOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import type { QuarterDealsSnapshot } from '../../store/quarter-deals.js';
import { random } from './generate.js';

/**
 * Deterministic quarter deals snapshots for the demo: each quarter has its own deal flow (from the seed and its
 * label); as the quarter goes on, deals move from open to won or lost, so a day's snapshot is a pure function of
 * (seed, day) and a past quarter ends on its final figures.
 */

function amountOf(seed: number, quarter: string, outcome: string, count: number): number {
  // An average deal of $6K–$14K per quarter and outcome, in whole dollars.
  return count * Math.round(6_000 + random(seed, 'quarter_deals', quarter, outcome, 'size') * 8_000);
}

export function sampleQuarterDeals(seed: number, day: LocalDay, fetchedAt: string): QuarterDealsSnapshot {
  const quarter = quarterOf(day);
  const days = daysInRange(quarter.start, quarter.end).length;
  const elapsed = daysInRange(quarter.start, day).length + 1;
  const progress = elapsed / days;
  const r = (key: string) => random(seed, 'quarter_deals', quarter.label, key);
  // Deals with a close date in the quarter: 40–70 of them, a little over half won by its end.
  const deals = 40 + Math.floor(r('deals') * 31);
  const wonShare = 0.5 + r('won') * 0.15;
  const won = Math.floor(deals * wonShare * progress);
  const lost = Math.floor(deals * (1 - wonShare) * progress * 0.8);
  const open = deals - won - lost;
  return {
    source: 'sample',
    quarter: quarter.label,
    day,
    won_count: won,
    won_amount: amountOf(seed, quarter.label, 'won', won),
    lost_count: lost,
    lost_amount: amountOf(seed, quarter.label, 'lost', lost),
    open_count: open,
    open_amount: amountOf(seed, quarter.label, 'open', open),
    fetched_at: fetchedAt,
    warnings: [],
  };
}
