import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { localDayOf } from '../../metrics/periods.js';
import { defineSource, type Source } from '../source.js';
import { googleAdsConnection } from './connection.js';
import { GoogleAdsApi, type GoogleAdsDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { collectGoogleAds, NOT_CONFIGURED } from './collect.js';
import { SOURCE_ID, spendQuery } from './map.js';
import { googleAdsQuerySchema, googleAdsSettingsSchema, type GoogleAdsQuery, type GoogleAdsSettings } from './schemas.js';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check the GOOGLE_ADS_* credentials, the developer token's access level and GOOGLE_ADS_LOGIN_CUSTOMER_ID for a manager account (${error.message})`;
  }
  return errorMessage(error);
}

/**
 * Google Ads: the customer's cost per day (`metrics.cost_micros` by `segments.date`, one searchStream per run), a
 * channel (`google`) of the `ad_spend` metric beside CSV-imported channels.
 */
export function createGoogleAdsSource(deps: GoogleAdsDeps = {}): Source {
  return defineSource<GoogleAdsSettings, GoogleAdsQuery>({
    id: SOURCE_ID,
    name: 'Google Ads',
    envVars: [
      'GOOGLE_ADS_DEVELOPER_TOKEN',
      'GOOGLE_ADS_CLIENT_ID',
      'GOOGLE_ADS_CLIENT_SECRET',
      'GOOGLE_ADS_REFRESH_TOKEN',
      'GOOGLE_ADS_CUSTOMER_ID',
      'GOOGLE_ADS_LOGIN_CUSTOMER_ID',
      'GOOGLE_ADS_BASE_URL',
      'GOOGLE_ADS_TOKEN_URL',
    ],
    credentials: [
      'GOOGLE_ADS_DEVELOPER_TOKEN',
      'GOOGLE_ADS_CLIENT_ID',
      'GOOGLE_ADS_CLIENT_SECRET',
      'GOOGLE_ADS_REFRESH_TOKEN',
      'GOOGLE_ADS_CUSTOMER_ID',
    ],
    settingsSchema: googleAdsSettingsSchema,
    querySchema: googleAdsQuerySchema,
    ...googleAdsConnection,
    collect: (ctx, request) => collectGoogleAds(ctx, request, deps),
    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const today = localDayOf(ctx.now, ctx.config.org.timezone);
        const batches = await new GoogleAdsApi(ctx, credentials, ctx.settings, deps).searchStream(spendQuery(today, today));
        const currency = batches.flatMap((batch) => batch.results ?? [])[0]?.customer?.currencyCode ?? 'currency unknown';
        return { ok: true, detail: `authenticated; customer ${credentials.customerId} (${currency})` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  });
}

export const googleAdsSource = createGoogleAdsSource();
