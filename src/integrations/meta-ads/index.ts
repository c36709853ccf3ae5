import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { defineSource, type Source } from '../source.js';
import { metaAdsConnection } from './connection.js';
import { createMetaAdsApi, type MetaAdsDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { collectMetaAds, NOT_CONFIGURED } from './collect.js';
import { SOURCE_ID } from './map.js';
import { metaAdsQuerySchema, metaAdsSettingsSchema, type MetaAdsQuery, type MetaAdsSettings } from './schemas.js';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check META_ADS_ACCESS_TOKEN (a system-user token with ads_read) and META_AD_ACCOUNT_ID (${error.message})`;
  }
  return errorMessage(error);
}

/**
 * Meta Ads: the ad account's spend per day from Insights (`level=account`, `time_increment=1`), a channel (`meta`)
 * of the `ad_spend` metric beside CSV-imported channels.
 */
export function createMetaAdsSource(deps: MetaAdsDeps = {}): Source {
  return defineSource<MetaAdsSettings, MetaAdsQuery>({
    id: SOURCE_ID,
    name: 'Meta Ads',
    envVars: ['META_ADS_ACCESS_TOKEN', 'META_AD_ACCOUNT_ID', 'META_ADS_BASE_URL'],
    settingsSchema: metaAdsSettingsSchema,
    querySchema: metaAdsQuerySchema,
    ...metaAdsConnection,
    collect: (ctx, request) => collectMetaAds(ctx, request, deps),
    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const account = await createMetaAdsApi(ctx, credentials, ctx.settings, deps).account();
        return {
          ok: true,
          detail: `authenticated; ad account ${account.name ?? credentials.account} (${account.currency}, ${account.timezone_name ?? 'timezone unknown'})`,
        };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  });
}

export const metaAdsSource = createMetaAdsSource();
