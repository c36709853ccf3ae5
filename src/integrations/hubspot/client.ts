import type { z } from 'zod';
import { createHttpClient } from '../http.js';
import type { HttpClient, HttpClientOptions } from '../http-types.js';
import { SourceError } from '../errors.js';
import type { SourceContext } from '../source.js';
import { errorBodySchema, rateLimitBodySchema, searchPageSchema, type HubspotSettings, type SearchPage } from './schemas.js';
import { accessToken } from './credentials.js';

export const SOURCE_ID = 'hubspot';
export const DEFAULT_BASE_URL = 'https://api.hubapi.com';
/** HubSpot's search endpoints page through at most this many results per query. */
export const SEARCH_RESULT_CAP = 10_000;
export const SEARCH_PAGE_LIMIT = 200;

const TEN_SECONDLY_FALLBACK_MS = 10_000;
const SEARCH_SECONDLY_RETRY_MS = 1_000;

/** Test hooks threaded from the Source factory down to the shared HTTP client. */
export interface HubspotDeps {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface SearchFilter {
  propertyName: string;
  operator: 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'BETWEEN' | 'IN' | 'NOT_IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY';
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface SearchBody {
  filterGroups: { filters: SearchFilter[] }[];
  sorts: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
  properties: string[];
  limit: number;
  after: string;
}

export interface HubspotClient {
  http: HttpClient;
  /** POST /crm/v3/objects/{objectType}/search, through the per-second search bucket. */
  search(objectType: string, body: SearchBody): Promise<SearchPage>;
  get<S extends z.ZodTypeAny>(url: string, schema: S, params?: Record<string, string | number | undefined>): Promise<z.output<S>>;
  post<S extends z.ZodTypeAny>(url: string, data: unknown, schema: S): Promise<z.output<S>>;
}

/**
 * The HubSpot client: the shared HTTP client with HubSpot's two limits modelled as separate buckets
 * (search is exempt from the ten-secondly limit, per the spec's `x-hubspot-rate-limit-exemptions`)
 * and 429s classified by their body: DAILY is final, ten-secondly waits the interval, search waits 1 s.
 */
export function createHubspotClient(
  ctx: Pick<SourceContext, 'env' | 'logger' | 'stats'>,
  settings: HubspotSettings,
  deps: HubspotDeps = {},
): HubspotClient {
  const token = accessToken(ctx.env);
  if (!token) throw new SourceError('config', SOURCE_ID, 'HUBSPOT_ACCESS_TOKEN is not set');
  const http = createHttpClient({
    source: SOURCE_ID,
    baseURL: (ctx.env.HUBSPOT_BASE_URL?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, ''),
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    secrets: [token],
    limits: {
      default: { max: settings.rate_limit.per_10s, perMs: 10_000 },
      search: { max: settings.rate_limit.search_per_s, perMs: 1_000, exemptFromDefault: true },
    },
    maxConcurrency: settings.max_concurrency,
    classify: (failure) => classifyRateLimit(failure) ?? classifyValidation(failure),
    logger: ctx.logger,
    stats: ctx.stats,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  });
  return {
    http,
    search: (objectType, body) =>
      http.request({ method: 'POST', url: `/crm/v3/objects/${objectType}/search`, data: body, bucket: 'search' }, searchPageSchema),
    get: (url, schema, params) => http.request({ method: 'GET', url, params }, schema),
    post: (url, data, schema) => http.request({ method: 'POST', url, data }, schema),
  };
}

/** HubSpot's 429 body names the exhausted policy, and with it how long to wait (or that waiting won't help today). */
const classifyRateLimit: NonNullable<HttpClientOptions['classify']> = ({ status, data, headers }) => {
  if (status !== 429) return undefined;
  const body = rateLimitBodySchema.safeParse(data);
  const policy = body.success ? body.data.policyName : undefined;
  const message = body.success ? (body.data.message ?? '') : '';
  if (policy === 'DAILY') {
    return {
      errorClass: 'rate_limited',
      retryable: false,
      message: 'daily API limit reached (it resets at midnight in the HubSpot account time zone)',
    };
  }
  if (policy === 'TEN_SECONDLY_ROLLING') {
    const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
    const retryAfterMs = Number.isFinite(interval) && interval > 0 ? interval : TEN_SECONDLY_FALLBACK_MS;
    return { errorClass: 'rate_limited', retryable: true, message: 'ten-secondly limit reached', retryAfterMs };
  }
  if (/secondly limit/i.test(message)) {
    return {
      errorClass: 'rate_limited',
      retryable: true,
      message: 'search per-second limit reached',
      retryAfterMs: SEARCH_SECONDLY_RETRY_MS,
    };
  }
  return undefined;
};

/**
 * A 400 keeps every detail HubSpot gives (its top message is often generic, the property is named in `errors[]` or
 * `context`), so a search that names a deleted property can fail only the metrics using it (search-failures.ts).
 */
const classifyValidation: NonNullable<HttpClientOptions['classify']> = ({ status, data }) => {
  if (status !== 400) return undefined;
  const body = errorBodySchema.safeParse(data);
  if (!body.success) return undefined;
  const { message, errors = [], context = {} } = body.data;
  const details = [
    message,
    ...errors.map((e) => e.message),
    ...[context, ...errors.map((e) => e.context ?? {})].flatMap((c) =>
      Object.entries(c).map(([key, values]) => `${key}: ${values.join(', ')}`),
    ),
  ];
  const text = [...new Set(details.filter((d): d is string => Boolean(d?.trim())))].join('; ');
  return text ? { errorClass: 'config', retryable: false, message: text.slice(0, 500) } : undefined;
};
