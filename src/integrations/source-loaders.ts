import type { Metric } from '../config/schema.js';
import type { Env, Source } from './source.js';

/**
 * Every source's module by id, imported only when asked for, so a command that shows one metric loads that
 * metric's source (to tell whether it is connected) rather than every source's client and schemas. registry.ts
 * lists the same sources eagerly for what uses them all (refresh, doctor, config validation); a test keeps the
 * two lists equal. Adding a source = its folder + one line there + one line here.
 */
export const SOURCE_LOADERS: Readonly<Record<string, () => Promise<Source>>> = {
  sample: async () => (await import('./sample/index.js')).sampleSource,
  hubspot: async () => (await import('./hubspot/index.js')).hubspotSource,
  zendesk: async () => (await import('./zendesk/index.js')).zendeskSource,
  intercom: async () => (await import('./intercom/index.js')).intercomSource,
  livechat: async () => (await import('./livechat/index.js')).livechatSource,
  autotask: async () => (await import('./autotask/index.js')).autotaskSource,
  bill: async () => (await import('./bill/index.js')).billSource,
  smartlead: async () => (await import('./smartlead/index.js')).smartleadSource,
  simplefin: async () => (await import('./simplefin/index.js')).simplefinSource,
  datto: async () => (await import('./datto/index.js')).dattoSource,
  quickbooks: async () => (await import('./quickbooks/index.js')).quickbooksSource,
  jira: async () => (await import('./jira/index.js')).jiraSource,
  salesforce: async () => (await import('./salesforce/index.js')).salesforceSource,
  bigquery: async () => (await import('./bigquery/index.js')).bigquerySource,
  looker: async () => (await import('./looker/index.js')).lookerSource,
  meta_ads: async () => (await import('./meta-ads/index.js')).metaAdsSource,
  google_ads: async () => (await import('./google-ads/index.js')).googleAdsSource,
};

/** Whether a metric can be fed: manual and derived metrics always can; others need their credentials in the environment. */
export function metricConnected(source: Source | undefined, metric: Pick<Metric, 'id' | 'source'> & Partial<Metric>, env: Env): boolean {
  if (metric.source === 'manual' || metric.source === 'derived') return true;
  if (!source) return false;
  return source.configuredFor ? source.configuredFor(env, metric as Metric) : source.configured(env);
}

/**
 * The connection check for these metrics (default: for every source), loading only their sources. Asking it about a
 * metric whose source was not loaded is a bug in the caller (it named the wrong metrics), so it throws, not guesses.
 */
export async function connectionCheck(env: Env, metrics?: readonly Metric[]): Promise<(metric: Metric) => boolean> {
  const wanted = metrics ? new Set(metrics.map((m) => m.source)) : undefined;
  const ids = Object.keys(SOURCE_LOADERS).filter((id) => !wanted || wanted.has(id));
  const loaded = new Map(await Promise.all(ids.map(async (id) => [id, await SOURCE_LOADERS[id]!()] as const)));
  return (metric) => {
    const known = Object.hasOwn(SOURCE_LOADERS, metric.source);
    if (known && !loaded.has(metric.source)) throw new Error(`source ${metric.source} was not loaded for metric ${metric.id}`);
    return metricConnected(loaded.get(metric.source), metric, env);
  };
}
