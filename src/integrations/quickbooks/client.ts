import type { z } from 'zod';
import type { LocalDay } from '../../metrics/types.js';
import { isSourceError, type SourceErrorClass } from '../errors.js';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions, HttpRequest } from '../http-types.js';
import type { SourceContext } from '../source.js';
import { SourceError } from '../errors.js';
import {
  cdcResponseSchema,
  companyInfoSchema,
  faultSchema,
  queryResponseSchema,
  reportSchema,
  transactionSchema,
  type ProfitAndLossReport,
  type QuickBooksSettings,
  type Transaction,
} from './schemas.js';
import { currentRefreshToken, DEFAULT_TOKEN_URL, refreshTokens, SOURCE_ID, storeRefreshToken } from './tokens.js';
import type { QuickBooksCredentials } from './credentials.js';

export { SOURCE_ID };
export const DEFAULT_BASE_URL = 'https://quickbooks.api.intuit.com';
/** Intuit asks every call to name a minor version (75 per the research notes; the P&L shape used here predates it). */
export const MINOR_VERSION = 75;
/** 500 requests per minute per company (realm). */
export const QBO_LIMITS = { default: { max: 500, perMs: 60_000 } };
/** At most 10 concurrent requests per company and app. */
export const MAX_CONCURRENCY = 10;
/** Intuit: "If you see [429], wait 60 seconds before retrying the request" — unless the answer says otherwise. */
export const THROTTLE_WAIT_MS = 60_000;
/** Intuit ends requests at 120 s; a large company's report can be slow, so wait that long rather than the default 30 s. */
const REQUEST_TIMEOUT_MS = 120_000;

/** Intuit returns at most 1000 objects per entity in one change data capture answer. */
export const CDC_MAX_OBJECTS = 1000;
/** The query endpoint's largest page. */
const QUERY_PAGE_SIZE = 1000;
/** A bound on one entity's pages (a million transactions): a server that never stops paging is an error, not a hang. */
const MAX_QUERY_PAGES = 1000;

/** `2026-11-05T15:00:00+00:00`: the ISO 8601 form with an explicit offset, as Intuit's examples write changedSince. */
export function intuitDateTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function parseRecords(entity: string, value: unknown): Transaction[] {
  const parsed = transactionSchema.array().safeParse(value);
  if (!parsed.success) throw new SourceError('bad_response', SOURCE_ID, `${entity} records do not have the documented shape`);
  return parsed.data;
}

export interface QuickBooksDeps {
  sleep?: (ms: number) => Promise<void>;
  random?: HttpClientOptions['random'];
}

/** `https://quickbooks.api.intuit.com`, with or without `/` or `/v3` → `https://quickbooks.api.intuit.com/`. */
export function normaliseBase(url: string): string {
  return `${url.trim().replace(/\/+$/, '').replace(/\/v3$/i, '')}/`;
}

function defaultClass(status: number): { errorClass: SourceErrorClass; retryable: boolean } {
  if (status === 401 || status === 403) return { errorClass: 'auth', retryable: false };
  if (status >= 500 || status === 408) return { errorClass: 'unavailable', retryable: true };
  return { errorClass: 'config', retryable: false };
}

/**
 * The Accounting API with a live access token. Every run starts with a token refresh (access tokens last an hour and
 * are never stored); a 401 refreshes once more and repeats the call once; a 429 waits as Intuit asks (the shared client
 * retries it: Retry-After when given, else Intuit's 60 s).
 */
export class QuickBooksApi {
  private http: HttpClient | undefined;
  private refreshToken: string | undefined;
  private readonly knownTokens = new Set<string>();
  private readonly baseURL: string;
  private readonly tokenUrl: string;

  constructor(
    private readonly ctx: SourceContext,
    private readonly credentials: QuickBooksCredentials,
    private readonly settings: QuickBooksSettings,
    private readonly deps: QuickBooksDeps = {},
  ) {
    this.baseURL = normaliseBase(ctx.env.QBO_BASE_URL?.trim() || DEFAULT_BASE_URL);
    this.tokenUrl = ctx.env.QBO_TOKEN_URL?.trim() || DEFAULT_TOKEN_URL;
  }

  /** Trades the newest refresh token for an access token and keeps the (possibly rotated) refresh token. */
  async authenticate(): Promise<void> {
    const refreshToken = this.refreshToken ?? (await currentRefreshToken(this.ctx.state, this.credentials));
    this.knownTokens.add(refreshToken);
    const tokens = await refreshTokens(this.ctx, this.credentials, refreshToken, {
      tokenUrl: this.tokenUrl,
      knownTokens: this.knownTokens,
      sleep: this.deps.sleep,
      random: this.deps.random,
    });
    this.knownTokens.add(tokens.refresh_token).add(tokens.access_token);
    this.refreshToken = tokens.refresh_token;
    const stored = await currentRefreshToken(this.ctx.state, this.credentials);
    if (tokens.refresh_token !== stored) {
      await storeRefreshToken(this.ctx.state, this.credentials, tokens.refresh_token);
      this.ctx.logger.info({ source: SOURCE_ID }, 'QuickBooks rotated the refresh token; the new one is kept in sync state');
    }
    this.http = this.apiClient(tokens.access_token);
  }

  /**
   * A client per access token: the shared client's headers and redaction are fixed when it is built. Its rate window
   * starts afresh with it, which is harmless here: a refresh needs a handful of calls against 500 a minute.
   */
  private apiClient(accessToken: string): HttpClient {
    return createHttpClient({
      source: SOURCE_ID,
      baseURL: this.baseURL,
      // Without Accept the API answers XML.
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
      secrets: [this.credentials.clientSecret, this.credentials.refreshToken, ...this.knownTokens],
      classify: this.classify,
      limits: limitsFromSettings(QBO_LIMITS, this.settings.rate_limit),
      maxConcurrency: MAX_CONCURRENCY,
      timeoutMs: REQUEST_TIMEOUT_MS,
      retry: { maxRetries: 3 },
      logger: this.ctx.logger,
      stats: this.ctx.stats,
      sleep: this.deps.sleep,
      random: this.deps.random,
    });
  }

  /** Intuit's `Fault` envelope gives the message; a 429 without Retry-After waits Intuit's 60 s. */
  private readonly classify: NonNullable<HttpClientOptions['classify']> = ({ status, data }) => {
    const fault = faultSchema.safeParse(data);
    const first = fault.success ? fault.data.Fault.Error[0] : undefined;
    const message = first ? [first.Message, first.Detail].filter(Boolean).join(': ') || undefined : undefined;
    if (status === 429)
      return { errorClass: 'rate_limited', retryable: true, message: message ?? 'throttled', retryAfterMs: THROTTLE_WAIT_MS };
    return message ? { ...defaultClass(status), message } : undefined;
  };

  async request<S extends z.ZodTypeAny>(req: HttpRequest, schema: S): Promise<z.output<S>> {
    if (!this.http) await this.authenticate();
    try {
      return await this.http!.request(req, schema);
    } catch (error) {
      if (!isSourceError(error) || error.status !== 401) throw error;
      this.ctx.logger.info({ source: SOURCE_ID }, 'QuickBooks access token rejected; refreshing it once');
      await this.authenticate();
      return this.http!.request(req, schema);
    }
  }

  private companyPath(rest: string): string {
    return `v3/company/${encodeURIComponent(this.credentials.realmId)}/${rest}`;
  }

  /** The profit and loss report with one column per day of `[from, to]` (plus a Total column). */
  profitAndLoss(from: LocalDay, to: LocalDay): Promise<ProfitAndLossReport> {
    return this.request(
      {
        url: this.companyPath('reports/ProfitAndLoss'),
        params: {
          start_date: from,
          end_date: to,
          accounting_method: this.settings.accounting_method,
          summarize_column_by: 'Days',
          minorversion: MINOR_VERSION,
        },
      },
      reportSchema,
    );
  }

  /**
   * Change data capture: every transaction of `entities` changed since `since` (deleted ones too), by entity. Intuit
   * looks back at most 30 days and returns at most 1000 objects per entity; `truncated` says when that cap was hit.
   */
  async changedSince(entities: readonly string[], since: Date): Promise<{ byEntity: Map<string, Transaction[]>; truncated: boolean }> {
    const body = await this.request(
      {
        url: this.companyPath('cdc'),
        params: { entities: entities.join(','), changedSince: intuitDateTime(since), minorversion: MINOR_VERSION },
      },
      cdcResponseSchema,
    );
    const byEntity = new Map<string, Transaction[]>();
    let truncated = false;
    for (const response of body.CDCResponse) {
      for (const group of response.QueryResponse ?? []) {
        for (const entity of entities) {
          if (group[entity] === undefined) continue;
          const records = parseRecords(entity, group[entity]);
          if (records.length >= CDC_MAX_OBJECTS) truncated = true;
          byEntity.set(entity, [...(byEntity.get(entity) ?? []), ...records]);
        }
      }
    }
    return { byEntity, truncated };
  }

  /** Every `entity` transaction dated on or after `from` (id and date only), a page of 1000 at a time. */
  async *transactionsSince(entity: string, from: LocalDay): AsyncGenerator<Transaction[]> {
    for (let page = 0; page < MAX_QUERY_PAGES; page++) {
      const start = page * QUERY_PAGE_SIZE + 1;
      const body = await this.request(
        {
          url: this.companyPath('query'),
          params: {
            query: `select Id, TxnDate from ${entity} where TxnDate >= '${from}' STARTPOSITION ${start} MAXRESULTS ${QUERY_PAGE_SIZE}`,
            minorversion: MINOR_VERSION,
          },
        },
        queryResponseSchema,
      );
      const records = parseRecords(entity, body.QueryResponse[entity] ?? []);
      if (records.length > 0) yield records;
      if (records.length < QUERY_PAGE_SIZE) return;
    }
    throw new SourceError('bad_response', SOURCE_ID, `${entity} query still had pages after ${MAX_QUERY_PAGES * QUERY_PAGE_SIZE} records`);
  }

  async companyName(): Promise<string> {
    const realm = encodeURIComponent(this.credentials.realmId);
    const info = await this.request(
      { url: this.companyPath(`companyinfo/${realm}`), params: { minorversion: MINOR_VERSION } },
      companyInfoSchema,
    );
    return info.CompanyInfo.CompanyName;
  }
}

/**
 * One authenticated API per refresh run (keyed by the run's `stats` object): the cursor scan, the window and each
 * range of late days share one access token rather than spending, and rotating, a refresh token each.
 */
const apiPerRun = new WeakMap<object, QuickBooksApi>();

export async function apiForRun(
  ctx: SourceContext,
  credentials: QuickBooksCredentials,
  settings: QuickBooksSettings,
  deps: QuickBooksDeps,
): Promise<QuickBooksApi> {
  const known = apiPerRun.get(ctx.stats);
  if (known) return known;
  const api = new QuickBooksApi(ctx, credentials, settings, deps);
  await api.authenticate();
  apiPerRun.set(ctx.stats, api);
  return api;
}
