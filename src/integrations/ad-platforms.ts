import { z } from 'zod';
import type { Config } from '../config/schema.js';
import { addDays, daysInRange } from '../metrics/periods.js';
import type { LocalDay } from '../metrics/types.js';
import { SourceError } from './errors.js';
import type { CollectedValue } from './source.js';

/**
 * What the ad-platform sources (Meta Ads, Google Ads) share: each metric may feed one channel of a currency metric
 * (`ad_spend`), the account must spend in the org's currency, and a day is the account's own day.
 */

/** Every `query.feeds` names a currency metric of the catalog, else the run stops as a config error. */
export function checkFeeds(sourceId: string, config: Config, metrics: readonly { id: string; query: { feeds: string | null } }[]): void {
  for (const metric of metrics) {
    const feeds = metric.query.feeds;
    if (feeds !== null && config.metrics[feeds]?.unit !== 'currency') {
      throw new SourceError('config', sourceId, `metrics.${metric.id}.query.feeds: "${feeds}" is not a currency metric of the catalog`);
    }
  }
}

/** Spend in another currency would be summed as if it were the org's: refuse it, naming the setting. */
export function checkCurrency(sourceId: string, spends: string, actual: string, expected: string): void {
  if (actual.toUpperCase() !== expected) {
    throw new SourceError('config', sourceId, `${spends} ${actual}, not the org's ${expected} (sources.${sourceId}.currency)`);
  }
}

/** The warning every value carries when the platform's days are not the org's (its reports are in its own zone). */
export function timezoneWarnings(platform: string, accountZone: string | undefined, orgZone: string): string[] {
  return accountZone && accountZone !== orgZone ? [`${platform} timezone (${accountZone}), not ${orgZone}`] : [];
}

/** An ad platform's metric: the account's daily spend; `feeds` names the currency metric it is a channel of. */
export const adSpendQuerySchema = z
  .object({
    kind: z.literal('spend'),
    feeds: z
      .string()
      .regex(/^[a-z0-9_]+$/)
      .nullable()
      .default('ad_spend'),
  })
  .strict();
export type AdSpendQuery = z.output<typeof adSpendQuerySchema>;

/** The org's currency: an account billed in another currency is refused rather than added to its figures. */
export const orgCurrencySetting = z.string().length(3).toUpperCase().default('USD');

/** One value per day of the window (0 where nothing was spent), each also a channel of `feeds` when set. */
export function dailySpendValues(
  metricId: string,
  window: { from: LocalDay; to: LocalDay },
  amountOn: (day: LocalDay) => number,
  channel: string,
  feeds: { metricId: string; currency: string } | null,
  warnings: string[],
): CollectedValue[] {
  return daysInRange(window.from, addDays(window.to, 1)).map((day) => ({
    metricId,
    day,
    value: amountOn(day),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(feeds ? { feeds: { metricId: feeds.metricId, channel, currency: feeds.currency } } : {}),
  }));
}
