import type { z } from 'zod';
import { isSourceError, SourceError } from '../errors.js';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse } from '../http-types.js';
import type { SourceContext } from '../source.js';
import { parseApiUsage } from './map.js';
import {
  limitsSchema,
  oauthErrorSchema,
  queryResultSchema,
  restErrorsSchema,
  tokenResponseSchema,
  type QueryResult,
  type SalesforceSettings,
} from './schemas.js';
import { SOURCE_ID } from './soql.js';
import type { SalesforceCredentials } from './credentials.js';

/** Salesforce meters a daily allocation, not a rate; five a second, two at a time, keeps bursts polite. */
export const SALESFORCE_LIMITS = { default: { max: 5, perMs: 1000 } };
const MAX_CONCURRENCY = 2;
const TOKEN_LIMITS = { default: { max: 10, perMs: 60_000 } };
/** 2 000 records a batch: 5 000 pages is ten million records, far beyond any scorecard query. */
const MAX_PAGES = 5000;

export interface SalesforceDeps {
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
}

/** `[{ message, errorCode }]`: an exhausted daily allocation is a rate limit (for the rest of the day), never auth. */
const classifyApi: NonNullable<HttpClientOptions['classify']> = ({ status, data }) => {
  const parsed = restErrorsSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const first = parsed.data[0]!;
  const message = `${first.errorCode}: ${first.message}`;
  // The daily allocation (403) refills over hours: stop. A 429 asks for a short wait: retry as asked.
  if (first.errorCode === 'REQUEST_LIMIT_EXCEEDED' || status === 429)
    return { errorClass: 'rate_limited', retryable: status === 429, message };
  if (status === 401 || status === 403) return { errorClass: 'auth', retryable: false, message };
  if (status >= 500) return { errorClass: 'unavailable', retryable: true, message };
  return { errorClass: 'config', retryable: false, message };
};

const classifyToken: NonNullable<HttpClientOptions['classify']> = ({ status, data }) => {
  const parsed = oauthErrorSchema.safeParse(data);
  if (!parsed.success || status >= 500) return undefined;
  const message = `${parsed.data.error}${parsed.data.error_description ? `: ${parsed.data.error_description}` : ''}`;
  return { errorClass: 'auth', retryable: false, message };
};

/**
 * The REST API with a client-credentials token: one token per run, renewed once on a 401 (the session expired or
 * was revoked). Every response's `Sforce-Limit-Info` is read, and the run stops once the org's daily usage passes
 * `max_api_usage_share` of its allocation.
 */
export class SalesforceApi {
  private http: HttpClient | undefined;
  private readonly knownTokens: string[] = [];
  /** The last usage Salesforce reported, for the check's detail. */
  usage: { used: number; limit: number } | undefined;

  constructor(
    private readonly ctx: SourceContext,
    private readonly credentials: SalesforceCredentials,
    private readonly settings: SalesforceSettings,
    private readonly deps: SalesforceDeps = {},
  ) {}

  async authenticate(): Promise<void> {
    const tokenClient = createHttpClient({
      source: SOURCE_ID,
      baseURL: `${this.credentials.loginUrl}/`,
      headers: { Accept: 'application/json' },
      secrets: [this.credentials.clientSecret, ...this.knownTokens],
      classify: classifyToken,
      limits: TOKEN_LIMITS,
      maxConcurrency: 1,
      logger: this.ctx.logger,
      stats: this.ctx.stats,
      sleep: this.deps.sleep,
      random: this.deps.random,
    });
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.credentials.clientId,
      client_secret: this.credentials.clientSecret,
    });
    const token = await tokenClient.request({ method: 'POST', url: 'services/oauth2/token', data: form }, tokenResponseSchema);
    this.knownTokens.push(token.access_token);
    const base = this.ctx.env.SALESFORCE_BASE_URL?.trim() || token.instance_url;
    this.http = createHttpClient({
      source: SOURCE_ID,
      baseURL: `${base.replace(/\/+$/, '')}/`,
      headers: { Authorization: `Bearer ${token.access_token}`, Accept: 'application/json' },
      secrets: [this.credentials.clientSecret, ...this.knownTokens],
      classify: classifyApi,
      limits: limitsFromSettings(SALESFORCE_LIMITS, this.settings.rate_limit),
      maxConcurrency: MAX_CONCURRENCY,
      logger: this.ctx.logger,
      stats: this.ctx.stats,
      sleep: this.deps.sleep,
      random: this.deps.random,
    });
  }

  private async send<S extends z.ZodTypeAny>(req: HttpRequest, schema: S): Promise<z.output<S>> {
    if (!this.http) await this.authenticate();
    let response: HttpResponse<z.output<S>>;
    try {
      response = await this.http!.requestWithMeta(req, schema);
    } catch (error) {
      if (!isSourceError(error) || error.status !== 401) throw error;
      this.ctx.logger.info({ source: SOURCE_ID }, 'Salesforce session rejected; requesting a new token once');
      await this.authenticate();
      response = await this.http!.requestWithMeta(req, schema);
    }
    this.guardUsage(response.headers['sforce-limit-info']);
    return response.data;
  }

  private guardUsage(header: string | undefined): void {
    const usage = parseApiUsage(header);
    if (!usage) return;
    this.usage = usage;
    const share = usage.used / usage.limit;
    if (share > this.settings.max_api_usage_share) {
      throw new SourceError(
        'rate_limited',
        SOURCE_ID,
        `the org has used ${usage.used} of its ${usage.limit} daily API requests (${Math.round(share * 100)} %), past sources.salesforce.max_api_usage_share (${Math.round(this.settings.max_api_usage_share * 100)} %): stopping so other integrations keep their share`,
      );
    }
  }

  /** `GET /services/data/vXX.X/query?q=…`, then each `nextRecordsUrl` until `done`. */
  query(soql: string): AsyncGenerator<QueryResult> {
    return this.pages('query', soql);
  }

  /** `…/queryAll?q=…`: the same, deleted records (in the recycle bin, `IsDeleted = true`) included. */
  queryAll(soql: string): AsyncGenerator<QueryResult> {
    return this.pages('queryAll', soql);
  }

  private async *pages(resource: 'query' | 'queryAll', soql: string): AsyncGenerator<QueryResult> {
    let page = await this.send({ url: `services/data/v${this.settings.api_version}/${resource}`, params: { q: soql } }, queryResultSchema);
    for (let pages = 1; ; pages++) {
      yield page;
      if (page.done || !page.nextRecordsUrl) return;
      if (pages >= MAX_PAGES) throw new SourceError('bad_response', SOURCE_ID, `query did not end after ${MAX_PAGES} batches`);
      page = await this.send({ url: page.nextRecordsUrl.replace(/^\/+/, '') }, queryResultSchema);
    }
  }

  /** `GET …/limits`: the org's daily API allocation and what is left of it (for `doctor`). */
  async dailyApiRequests(): Promise<{ used: number; limit: number }> {
    const limits = await this.send({ url: `services/data/v${this.settings.api_version}/limits` }, limitsSchema);
    const { Max, Remaining } = limits.DailyApiRequests;
    return { used: Max - Remaining, limit: Max };
  }
}
