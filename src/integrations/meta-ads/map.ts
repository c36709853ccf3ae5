import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import { dailySpendValues } from '../ad-platforms.js';
import type { CollectedValue } from '../source.js';
import type { InsightsPage } from './schemas.js';

/**
 * Pure pieces of the Meta Ads source. Insights with `time_increment=1` answer one row per day of the ad account's
 * own timezone; those days are taken as they are (the source warns when that zone is not the org's).
 */

export const SOURCE_ID = 'meta_ads';
export const CHANNEL = 'meta';

/** Adds a page's rows to `cents` per day; a row spanning several days means `time_increment` was ignored. */
export function addSpend(cents: Map<LocalDay, number>, page: InsightsPage, currency: string): void {
  for (const row of page.data) {
    if (row.date_start !== row.date_stop)
      throw new SourceError('bad_response', SOURCE_ID, `insights row spans ${row.date_start}…${row.date_stop}, not one day`);
    if (row.account_currency && row.account_currency.toUpperCase() !== currency) {
      throw new SourceError(
        'config',
        SOURCE_ID,
        `spend is in ${row.account_currency}, not the org's ${currency} (sources.meta_ads.currency)`,
      );
    }
    const [whole, fraction = ''] = row.spend.split('.');
    const value = Number(whole) * 100 + Math.round(Number(`0.${fraction || '0'}`) * 100);
    cents.set(row.date_start, (cents.get(row.date_start) ?? 0) + value);
  }
}

export function spendValues(
  metricId: string,
  from: LocalDay,
  to: LocalDay,
  cents: ReadonlyMap<LocalDay, number>,
  feeds: { metricId: string; currency: string } | null,
  warnings: string[],
): CollectedValue[] {
  return dailySpendValues(metricId, { from, to }, (day) => (cents.get(day) ?? 0) / 100, CHANNEL, feeds, warnings);
}

/** The highest utilisation percentage any of Meta's usage headers reports, and how long it says to wait. */
export function usageOf(headers: Record<string, string>): { pct: number; regainSeconds: number } {
  let pct = 0;
  let regainSeconds = 0;
  const json = (name: string): unknown => {
    try {
      return headers[name] ? JSON.parse(headers[name]!) : undefined;
    } catch {
      return undefined;
    }
  };
  const business = json('x-business-use-case-usage');
  if (business && typeof business === 'object') {
    for (const entries of Object.values(business as Record<string, unknown>)) {
      for (const entry of Array.isArray(entries) ? entries : []) {
        const e = entry as Record<string, unknown>;
        pct = Math.max(pct, ...['call_count', 'total_cputime', 'total_time'].map((key) => Number(e[key]) || 0));
        regainSeconds = Math.max(regainSeconds, (Number(e.estimated_time_to_regain_access) || 0) * 60);
      }
    }
  }
  for (const name of ['x-ad-account-usage', 'x-fb-ads-insights-throttle']) {
    const usage = json(name) as Record<string, unknown> | undefined;
    if (!usage) continue;
    pct = Math.max(pct, Number(usage.acc_id_util_pct) || 0, Number(usage.app_id_util_pct) || 0);
    regainSeconds = Math.max(regainSeconds, Number(usage.reset_time_duration) || 0);
  }
  return { pct, regainSeconds };
}

/** Graph error codes that mean "throttled" (17 user, 4 app, 613 ad account, 80000-series business use case). */
export function isThrottleCode(code: number): boolean {
  return code === 4 || code === 17 || code === 32 || code === 613 || (code >= 80000 && code < 81000);
}
