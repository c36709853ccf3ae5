import type { LocalDay } from '../../metrics/types.js';
import { checkCurrency, checkFeeds, timezoneWarnings } from '../ad-platforms.js';
import { SourceError } from '../errors.js';
import type { CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { createMetaAdsApi, type MetaAdsDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { addSpend, SOURCE_ID, spendValues } from './map.js';
import type { MetaAdsQuery, MetaAdsSettings } from './schemas.js';

export const NOT_CONFIGURED = 'not configured: set META_ADS_ACCESS_TOKEN and META_AD_ACCOUNT_ID (digits, with or without act_)';

/** The account's currency and timezone checked, then the window's insights, one batch. */
export async function* collectMetaAds(
  ctx: SourceRun<MetaAdsSettings>,
  { from, to, metrics }: SourceRequest<MetaAdsQuery>,
  deps: MetaAdsDeps,
): AsyncGenerator<CollectedValue[]> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
  const { settings } = ctx;
  checkFeeds(SOURCE_ID, ctx.config, metrics);
  if (metrics.length === 0 || from > to) return;

  const api = createMetaAdsApi(ctx, credentials, settings, deps);
  const account = await api.account();
  checkCurrency(SOURCE_ID, 'the ad account spends in', account.currency, settings.currency);
  const warnings = timezoneWarnings("Meta reports days in the ad account's", account.timezone_name, ctx.config.org.timezone);
  const cents = new Map<LocalDay, number>();
  for await (const page of api.dailySpend(from, to)) addSpend(cents, page, settings.currency);
  yield metrics.flatMap((metric) =>
    spendValues(
      metric.id,
      from,
      to,
      cents,
      metric.query.feeds ? { metricId: metric.query.feeds, currency: settings.currency } : null,
      warnings,
    ),
  );
}
