import type { LocalDay } from '../../metrics/types.js';
import { checkCurrency, checkFeeds, timezoneWarnings } from '../ad-platforms.js';
import { SourceError } from '../errors.js';
import type { CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { GoogleAdsApi, type GoogleAdsDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { addBatches, SOURCE_ID, spendQuery, spendValues } from './map.js';
import type { GoogleAdsQuery, GoogleAdsSettings } from './schemas.js';

export const NOT_CONFIGURED =
  'not configured: set GOOGLE_ADS_DEVELOPER_TOKEN, GOOGLE_ADS_CLIENT_ID, GOOGLE_ADS_CLIENT_SECRET, GOOGLE_ADS_REFRESH_TOKEN and GOOGLE_ADS_CUSTOMER_ID';

/** One stream for the window; the customer's currency checked against the org's. */
export async function* collectGoogleAds(
  ctx: SourceRun<GoogleAdsSettings>,
  { from, to, metrics }: SourceRequest<GoogleAdsQuery>,
  deps: GoogleAdsDeps,
): AsyncGenerator<CollectedValue[]> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
  const { settings } = ctx;
  checkFeeds(SOURCE_ID, ctx.config, metrics);
  if (metrics.length === 0 || from > to) return;

  const batches = await new GoogleAdsApi(ctx, credentials, settings, deps).searchStream(spendQuery(from, to));
  const micros = new Map<LocalDay, bigint>();
  const account: { currency?: string; timeZone?: string } = {};
  for (const batch of batches) addBatches(micros, batch, account);
  if (account.currency) checkCurrency(SOURCE_ID, 'the customer is billed in', account.currency, settings.currency);
  const warnings = timezoneWarnings("Google Ads reports days in the account's", account.timeZone, ctx.config.org.timezone);
  yield metrics.flatMap((metric) =>
    spendValues(
      metric.id,
      from,
      to,
      micros,
      metric.query.feeds ? { metricId: metric.query.feeds, currency: settings.currency } : null,
      warnings,
    ),
  );
}
