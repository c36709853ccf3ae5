import { isValidDay } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import { dailySpendValues } from '../ad-platforms.js';
import type { CollectedValue } from '../source.js';
import type { StreamBatch } from './schemas.js';

/**
 * Pure pieces of the Google Ads source. `segments.date` is a day of the customer account's own timezone, taken as
 * it is (the source warns when that zone is not the org's). Cost arrives in micros as an int64 string.
 */

export const SOURCE_ID = 'google_ads';
export const CHANNEL = 'google';

/** GAQL for the window; the days are our own validated `YYYY-MM-DD`, the only values in the text. */
export function spendQuery(from: LocalDay, to: LocalDay): string {
  for (const day of [from, to]) if (!isValidDay(day)) throw new SourceError('config', SOURCE_ID, `not a day: ${JSON.stringify(day)}`);
  return `SELECT customer.currency_code, customer.time_zone, segments.date, metrics.cost_micros FROM customer WHERE segments.date BETWEEN '${from}' AND '${to}'`;
}

/** Σ micros per day (BigInt: an int64 string may exceed 2^53), plus what the rows say about the account. */
export function addBatches(micros: Map<LocalDay, bigint>, batch: StreamBatch, account: { currency?: string; timeZone?: string }): void {
  for (const row of batch.results ?? []) {
    account.currency ??= row.customer?.currencyCode;
    account.timeZone ??= row.customer?.timeZone;
    const day = row.segments.date;
    micros.set(day, (micros.get(day) ?? 0n) + BigInt(row.metrics.costMicros ?? '0'));
  }
}

/** Micros → currency units, exact to the cent: 120_505_000 → 120.51 (half up). */
export function microsToAmount(value: bigint): number {
  const cents = (value + 5_000n) / 10_000n;
  return Number(cents) / 100;
}

export function spendValues(
  metricId: string,
  from: LocalDay,
  to: LocalDay,
  micros: ReadonlyMap<LocalDay, bigint>,
  feeds: { metricId: string; currency: string } | null,
  warnings: string[],
): CollectedValue[] {
  return dailySpendValues(metricId, { from, to }, (day) => microsToAmount(micros.get(day) ?? 0n), CHANNEL, feeds, warnings);
}

/** `"30s"` → 30 000 ms (Google's Duration JSON). */
export function durationMs(text: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text ?? '');
  return match ? Math.ceil(Number(match[1]) * 1000) : undefined;
}
