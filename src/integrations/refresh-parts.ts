import type { Logger } from 'pino';
import type { Store } from '../store/db.js';
import { upsertQuarterDeals } from '../store/quarter-deals.js';
import type { MetricRunFailure } from './refresh.js';
import { isFailedPart, isQuarterDeals, type Collected } from './source.js';

/**
 * The parts of a source's output that are not daily metric values: today's quarter deals snapshot (HubSpot). A part
 * that failed is reported like a metric that failed on its own (summary, `metric_failures`, doctor) under its part
 * name, and never fails the source's metrics; a part written clears its last failure.
 */

export const QUARTER_DEALS_PART = 'quarter_deals';

/** The name a part's failure is recorded under: `hubspot.quarter_deals`. */
export function partName(sourceId: string, part: string): string {
  return `${sourceId}.${part}`;
}

export interface PartsOutcome {
  /** Part names written by this run. */
  written: Set<string>;
  failed: Map<string, MetricRunFailure>;
}

export async function writeParts(
  store: Store,
  batch: readonly Collected[],
  run: { sourceId: string; now: Date; redactText: (text: string) => string; logger: Logger },
  outcome: PartsOutcome,
): Promise<void> {
  for (const item of batch) {
    if (isQuarterDeals(item)) {
      const { quarter, day, won, lost, open, warnings } = item.quarterDeals;
      await upsertQuarterDeals(store, {
        source: run.sourceId,
        quarter,
        day,
        won_count: won.count,
        won_amount: won.amount,
        lost_count: lost.count,
        lost_amount: lost.amount,
        open_count: open.count,
        open_amount: open.amount,
        fetched_at: run.now.toISOString(),
        warnings: (warnings ?? []).map(run.redactText),
      });
      const name = partName(run.sourceId, QUARTER_DEALS_PART);
      outcome.written.add(name);
      outcome.failed.delete(name);
    } else if (isFailedPart(item)) {
      const name = partName(run.sourceId, item.part);
      const error = run.redactText(item.failure.message);
      outcome.failed.set(name, { metric: name, errorClass: item.failure.errorClass, error });
      run.logger.warn({ part: name, errorClass: item.failure.errorClass }, `part failed: ${error}`);
    }
  }
}
