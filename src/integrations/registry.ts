import type { z } from 'zod';
import type { Metric } from '../config/schema.js';
import type { Env, Source } from './source.js';
import { metricConnected } from './source-loaders.js';
import { sampleSource } from './sample/index.js';
import { zendeskSource } from './zendesk/index.js';
import { intercomSource } from './intercom/index.js';
import { livechatSource } from './livechat/index.js';
import { autotaskSource } from './autotask/index.js';
import { billSource } from './bill/index.js';
import { smartleadSource } from './smartlead/index.js';
import { simplefinSource } from './simplefin/index.js';
import { hubspotSource } from './hubspot/index.js';
import { dattoSource } from './datto/index.js';
import { quickbooksSource } from './quickbooks/index.js';
import { jiraSource } from './jira/index.js';
import { salesforceSource } from './salesforce/index.js';
import { bigquerySource } from './bigquery/index.js';
import { lookerSource } from './looker/index.js';
import { metaAdsSource } from './meta-ads/index.js';
import { googleAdsSource } from './google-ads/index.js';

/**
 * Every source the product knows. Adding a source = its folder (with connection.ts) + one line here + one in
 * source-loaders.ts (CONNECTION_LOADERS).
 */
export const SOURCES: readonly Source[] = [
  sampleSource,
  hubspotSource,
  zendeskSource,
  intercomSource,
  livechatSource,
  autotaskSource,
  billSource,
  smartleadSource,
  simplefinSource,
  dattoSource,
  quickbooksSource,
  jiraSource,
  salesforceSource,
  bigquerySource,
  lookerSource,
  metaAdsSource,
  googleAdsSource,
];

/** What a refresh runs: every source but the built-in sample, which only ever feeds the demo. */
export const REFRESH_SOURCES: readonly Source[] = SOURCES.filter((source) => source.id !== 'sample');

export function sourceById(id: string): Source | undefined {
  return SOURCES.find((s) => s.id === id);
}

/** Query schemas by source id, so the config loader reports bad `metrics.<id>.query` keys with their YAML path. */
export function querySchemas(): Record<string, z.ZodType> {
  return Object.fromEntries(SOURCES.map((s) => [s.id, s.querySchema] as const));
}

export function settingsSchemas(): Record<string, z.ZodType> {
  return Object.fromEntries(SOURCES.map((s) => [s.id, s.settingsSchema] as const));
}

/** Whether a metric can be fed: manual and derived metrics always can; others need their credentials in the environment. */
export function isMetricConnected(metric: Pick<Metric, 'id' | 'source'> & Partial<Metric>, env: Env): boolean {
  return metricConnected(sourceById(metric.source), metric, env);
}
