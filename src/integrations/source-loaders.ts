import type { Metric } from '../config/schema.js';
import type { Env } from './source.js';
import type { SourceConnection } from './source-connection.js';

/**
 * Every source's connection check by id (its folder's `connection.ts`), imported only when asked for. A command that
 * shows one metric (`metric cash`) only needs to say whether that metric's source is connected, which is env reading:
 * loading the source itself would load its HTTP client, zod and its schemas for nothing. connection.ts files import
 * none of those (tests/integrations/connections.test.ts walks their imports). registry.ts lists the full sources
 * eagerly for what uses them all (refresh, doctor, config validation); a test keeps the two lists equal and their
 * checks in agreement. Adding a source = its folder (with connection.ts) + one line there + one line here.
 */
export const CONNECTION_LOADERS: Readonly<Record<string, () => Promise<SourceConnection>>> = {
  sample: async () => (await import('./sample/connection.js')).sampleConnection,
  hubspot: async () => (await import('./hubspot/connection.js')).hubspotConnection,
  zendesk: async () => (await import('./zendesk/connection.js')).zendeskConnection,
  intercom: async () => (await import('./intercom/connection.js')).intercomConnection,
  livechat: async () => (await import('./livechat/connection.js')).livechatConnection,
  autotask: async () => (await import('./autotask/connection.js')).autotaskConnection,
  bill: async () => (await import('./bill/connection.js')).billConnection,
  smartlead: async () => (await import('./smartlead/connection.js')).smartleadConnection,
  simplefin: async () => (await import('./simplefin/connection.js')).simplefinConnection,
  datto: async () => (await import('./datto/connection.js')).dattoConnection,
  quickbooks: async () => (await import('./quickbooks/connection.js')).quickbooksConnection,
  jira: async () => (await import('./jira/connection.js')).jiraConnection,
  salesforce: async () => (await import('./salesforce/connection.js')).salesforceConnection,
  bigquery: async () => (await import('./bigquery/connection.js')).bigqueryConnection,
  looker: async () => (await import('./looker/connection.js')).lookerConnection,
  meta_ads: async () => (await import('./meta-ads/connection.js')).metaAdsConnection,
  google_ads: async () => (await import('./google-ads/connection.js')).googleAdsConnection,
};

/**
 * Whether a metric can be fed: manual and derived metrics always can; others need their credentials in the
 * environment. Takes a source's connection, or the whole `Source` (one is a `SourceConnection`), as the registry has.
 */
export function metricConnected(
  source: SourceConnection | undefined,
  metric: Pick<Metric, 'id' | 'source'> & Partial<Metric>,
  env: Env,
): boolean {
  if (metric.source === 'manual' || metric.source === 'derived') return true;
  if (!source) return false;
  return source.configuredFor ? source.configuredFor(env, metric as Metric) : source.configured(env);
}

/**
 * The connection check for these metrics (default: for every source), loading only their sources' connections. Asking
 * it about a metric whose source was not loaded is a bug in the caller (it named the wrong metrics), so it throws, not
 * guesses.
 */
export async function connectionCheck(env: Env, metrics?: readonly Metric[]): Promise<(metric: Metric) => boolean> {
  const wanted = metrics ? new Set(metrics.map((m) => m.source)) : undefined;
  const ids = Object.keys(CONNECTION_LOADERS).filter((id) => !wanted || wanted.has(id));
  const loaded = new Map(await Promise.all(ids.map(async (id) => [id, await CONNECTION_LOADERS[id]!()] as const)));
  return (metric) => {
    const known = Object.hasOwn(CONNECTION_LOADERS, metric.source);
    if (known && !loaded.has(metric.source)) throw new Error(`source ${metric.source} was not loaded for metric ${metric.id}`);
    return metricConnected(loaded.get(metric.source), metric, env);
  };
}
