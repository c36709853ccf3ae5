import type { LocalDay } from '../../metrics/types.js';
import { isSourceError, SourceError } from '../errors.js';
import type { Source, SourceContext } from '../source.js';
import { parseOrConfigError } from '../source-helpers.js';
import { createMetaAdsApi, credentialsFrom, type MetaAdsDeps } from './client.js';
import { addSpend, SOURCE_ID, spendValues } from './map.js';
import { metaAdsQuerySchema, metaAdsSettingsSchema, type MetaAdsQuery, type MetaAdsSettings } from './schemas.js';

const NOT_CONFIGURED = 'not configured: set META_ADS_ACCESS_TOKEN and META_AD_ACCOUNT_ID (digits, with or without act_)';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check META_ADS_ACCESS_TOKEN (a system-user token with ads_read) and META_AD_ACCOUNT_ID (${error.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Meta Ads: the ad account's spend per day from Insights (`level=account`, `time_increment=1`), a channel (`meta`)
 * of the `ad_spend` metric beside CSV-imported channels.
 */
export function createMetaAdsSource(deps: MetaAdsDeps = {}): Source<MetaAdsSettings, MetaAdsQuery> {
  const settingsFor = (ctx: SourceContext): MetaAdsSettings =>
    parseOrConfigError(SOURCE_ID, metaAdsSettingsSchema, ctx.config.sources[SOURCE_ID] ?? {}, 'sources.meta_ads');

  return {
    id: SOURCE_ID,
    name: 'Meta Ads',
    envVars: ['META_ADS_ACCESS_TOKEN', 'META_AD_ACCOUNT_ID', 'META_ADS_BASE_URL'],
    settingsSchema: metaAdsSettingsSchema,
    querySchema: metaAdsQuerySchema,
    configured: (env) => credentialsFrom(env) !== undefined,

    async *collect(ctx, { from, to, metrics }) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
      const settings = settingsFor(ctx);
      const wanted = metrics.map((metric) => {
        const query = parseOrConfigError(SOURCE_ID, metaAdsQuerySchema, metric.query, `metrics.${metric.id}.query`);
        const target = query.feeds === null ? undefined : ctx.config.metrics[query.feeds];
        if (query.feeds !== null && (!target || target.unit !== 'currency')) {
          throw new SourceError(
            'config',
            SOURCE_ID,
            `metrics.${metric.id}.query.feeds: "${query.feeds}" is not a currency metric of the catalog`,
          );
        }
        return { id: metric.id, feeds: query.feeds };
      });
      if (wanted.length === 0 || from > to) return;

      const api = createMetaAdsApi(ctx, credentials, settings, deps);
      const account = await api.account();
      if (account.currency.toUpperCase() !== settings.currency) {
        throw new SourceError(
          'config',
          SOURCE_ID,
          `the ad account spends in ${account.currency}, not the org's ${settings.currency} (sources.meta_ads.currency)`,
        );
      }
      const timezone = ctx.config.org.timezone;
      const warnings =
        account.timezone_name && account.timezone_name !== timezone
          ? [`Meta reports days in the ad account's timezone (${account.timezone_name}), not ${timezone}`]
          : [];
      const cents = new Map<LocalDay, number>();
      for await (const page of api.dailySpend(from, to)) addSpend(cents, page, settings.currency);
      yield wanted.flatMap((metric) =>
        spendValues(metric.id, from, to, cents, metric.feeds ? { metricId: metric.feeds, currency: settings.currency } : null, warnings),
      );
    },

    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const account = await createMetaAdsApi(ctx, credentials, settingsFor(ctx), deps).account();
        return {
          ok: true,
          detail: `authenticated; ad account ${account.name ?? credentials.account} (${account.currency}, ${account.timezone_name ?? 'timezone unknown'})`,
        };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  };
}

export const metaAdsSource = createMetaAdsSource();
