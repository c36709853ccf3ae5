import type { ZodType } from 'zod';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions } from '../http-types.js';
import type { SourceContext } from '../source.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import { isThrottleCode, SOURCE_ID, usageOf } from './map.js';
import { adAccountSchema, graphErrorSchema, insightsPageSchema, type InsightsPage, type MetaAdsSettings } from './schemas.js';
import type { MetaAdsCredentials } from './credentials.js';

export const DEFAULT_BASE_URL = 'https://graph.facebook.com';
/** Insights are metered per ad account by Meta's own scores; two calls a second keeps a refresh well inside them. */
export const META_LIMITS = { default: { max: 2, perMs: 1000 } };
/** Wait after a throttle that names no time: Meta's guidance is to back off for minutes, capped here at the client's two. */
const THROTTLE_WAIT_MS = 60_000;
const MAX_PAGES = 1000;

export interface MetaAdsDeps {
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
}

/** Throttling arrives as Graph error codes (HTTP 400/403), not a plain 429: retry those after the advised wait. */
const classify: NonNullable<HttpClientOptions['classify']> = ({ status, data, headers }) => {
  const parsed = graphErrorSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const { code, message, error_subcode: subcode } = parsed.data.error;
  const text = `code ${code}${subcode ? `/${subcode}` : ''}: ${message}`;
  if (isThrottleCode(code)) {
    const regain = usageOf(headers).regainSeconds;
    return { errorClass: 'rate_limited', retryable: true, message: text, retryAfterMs: regain > 0 ? regain * 1000 : THROTTLE_WAIT_MS };
  }
  if (code === 190 || code === 102 || status === 401) return { errorClass: 'auth', retryable: false, message: text };
  if (code === 10 || (code >= 200 && code < 300))
    return { errorClass: 'auth', retryable: false, message: `${text} (the token lacks ads_read on this account)` };
  if (code === 1 || code === 2 || status >= 500) return { errorClass: 'unavailable', retryable: true, message: text };
  return { errorClass: 'config', retryable: false, message: text };
};

export class MetaAdsApi {
  constructor(
    private readonly http: HttpClient,
    private readonly credentials: MetaAdsCredentials,
    private readonly settings: MetaAdsSettings,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  /** A response whose usage headers reach the threshold pauses the next call, so Meta never has to throttle. */
  private async get<T>(url: string, params: Record<string, string | number | undefined>, schema: ZodType<T>): Promise<T> {
    const response = await this.http.requestWithMeta({ url, params }, schema);
    const usage = usageOf(response.headers);
    if (usage.pct >= this.settings.pause_at_usage_pct) {
      const waitMs = Math.min(120_000, Math.max(usage.regainSeconds * 1000, Math.round(usage.pct * 1000)));
      await this.sleep(waitMs);
    }
    return response.data;
  }

  async account(): Promise<{ currency: string; timezone_name?: string; name?: string }> {
    return this.get(`${this.settings.api_version}/${this.credentials.account}`, { fields: 'name,currency,timezone_name' }, adAccountSchema);
  }

  /** Daily account spend for `[from, to]`, page by page (`after` cursor while `paging.next` says there is more). */
  async *dailySpend(from: LocalDay, to: LocalDay): AsyncGenerator<InsightsPage> {
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.get(
        `${this.settings.api_version}/${this.credentials.account}/insights`,
        {
          fields: 'spend,account_currency',
          level: 'account',
          time_increment: 1,
          time_range: JSON.stringify({ since: from, until: to }),
          limit: 100,
          after,
        },
        insightsPageSchema,
      );
      yield body;
      const next = body.paging?.next ? body.paging.cursors?.after : undefined;
      if (!next || next === after) return;
      after = next;
    }
    throw new SourceError('bad_response', SOURCE_ID, `insights did not end after ${MAX_PAGES} pages`);
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createMetaAdsApi(
  ctx: SourceContext,
  credentials: MetaAdsCredentials,
  settings: MetaAdsSettings,
  deps: MetaAdsDeps = {},
): MetaAdsApi {
  const base = ctx.env.META_ADS_BASE_URL?.trim() || DEFAULT_BASE_URL;
  const http = createHttpClient({
    source: SOURCE_ID,
    baseURL: `${base.replace(/\/+$/, '')}/`,
    // The token travels in a header, never in a URL that could be logged.
    headers: { Authorization: `Bearer ${credentials.accessToken}` },
    limits: limitsFromSettings(META_LIMITS, settings.rate_limit),
    maxConcurrency: 1,
    classify,
    retry: { maxRetries: 3 },
    logger: ctx.logger,
    stats: ctx.stats,
    sleep: deps.sleep,
    random: deps.random,
  });
  return new MetaAdsApi(http, credentials, settings, deps.sleep ?? realSleep);
}
