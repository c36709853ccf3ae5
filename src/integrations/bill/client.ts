import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { isSourceError, SourceError, type SourceErrorClass } from '../errors.js';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions, HttpRequest } from '../http-types.js';
import type { SourceContext } from '../source.js';
import { errorBodySchema, listPageSchema, loginResponseSchema, type BillSettings } from './schemas.js';
import type { BillCredentials } from './credentials.js';

export const SOURCE_ID = 'bill';
/** Production; the sandbox is `https://gateway.stage.bill.com/connect` (separate developer key, no shared data). */
export const DEFAULT_BASE_URL = 'https://gateway.prod.bill.com/connect';
/** 20,000 requests per developer key per hour. */
export const BILL_LIMITS = { default: { max: 20_000, perMs: 3_600_000 } };
/** `POST /v3/login` is limited to 200 per developer key per hour. */
export const LOGIN_LIMITS = { default: { max: 200, perMs: 3_600_000 } };
/** BILL allows 3 concurrent requests per developer key and organization; keep one spare for other tools. */
export const MAX_CONCURRENCY = 2;
export const PAGE_SIZE = 100;
/** Sessions expire after 35 idle minutes; a cached one is reused only well inside that. */
const SESSION_REUSE_MS = 30 * 60_000;

export interface BillDeps {
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
}

/** In-memory only: a session id is a live credential, so it never goes to sync state or the database. */
export type SessionCache = Map<string, { sessionId: string; lastUsedAt: number }>;

/** `…/connect`, `…/connect/` or `…/connect/v3` → `…/connect/` (paths are `v3/…`). */
export function normaliseBase(url: string): string {
  return `${url.trim().replace(/\/+$/, '').replace(/\/v3$/i, '')}/`;
}

const ERROR_CODES: Record<string, { errorClass: SourceErrorClass; retryable: boolean; message: string }> = {
  BDC_1109: { errorClass: 'auth', retryable: false, message: 'session is invalid or expired (BDC_1109)' },
  BDC_1101: { errorClass: 'auth', retryable: false, message: 'user name or password rejected (BDC_1101)' },
  BDC_1102: { errorClass: 'auth', retryable: false, message: 'developer key rejected (BDC_1102)' },
  BDC_1144: {
    errorClass: 'rate_limited',
    retryable: false,
    message: 'hourly request limit reached (BDC_1144); BILL accepts requests again at the top of the hour',
  },
  BDC_1322: { errorClass: 'rate_limited', retryable: true, message: 'too many concurrent requests (BDC_1322)' },
};

function defaultClass(status: number): { errorClass: SourceErrorClass; retryable: boolean } {
  if (status === 401 || status === 403) return { errorClass: 'auth', retryable: false };
  if (status === 429) return { errorClass: 'rate_limited', retryable: true };
  if (status >= 500) return { errorClass: 'unavailable', retryable: true };
  return { errorClass: 'config', retryable: false };
}

/** BILL answers errors as `[{ code: "BDC_…", message }]`, whatever the HTTP status; the code decides. */
export const classifyBillError: NonNullable<HttpClientOptions['classify']> = ({ status, data }) => {
  const parsed = errorBodySchema.safeParse(data);
  if (!parsed.success) return undefined;
  const first = parsed.data[0]!;
  return ERROR_CODES[first.code] ?? { ...defaultClass(status), message: `${first.code}: ${first.message ?? 'error'}` };
};

function cacheKey(baseURL: string, credentials: BillCredentials): string {
  return createHash('sha256')
    .update([baseURL, credentials.username, credentials.organizationId, credentials.devKey].join('\n'))
    .digest('hex');
}

/** A signed-in BILL API: one session, re-established once when BILL says it expired. */
export class BillApi {
  private session: { id: string; http: HttpClient } | undefined;
  private signingIn: Promise<{ id: string; http: HttpClient }> | undefined;
  private readonly baseURL: string;
  private readonly key: string;

  constructor(
    private readonly ctx: SourceContext,
    private readonly credentials: BillCredentials,
    private readonly settings: BillSettings,
    private readonly deps: BillDeps,
    private readonly sessions: SessionCache,
  ) {
    this.baseURL = normaliseBase(ctx.env.BILL_BASE_URL?.trim() || DEFAULT_BASE_URL);
    this.key = cacheKey(this.baseURL, credentials);
  }

  private options(): Omit<HttpClientOptions, 'limits'> {
    return {
      source: SOURCE_ID,
      baseURL: this.baseURL,
      secrets: [this.credentials.password, this.credentials.devKey],
      classify: classifyBillError,
      logger: this.ctx.logger,
      stats: this.ctx.stats,
      sleep: this.deps.sleep,
      random: this.deps.random,
    };
  }

  private sessionClient(sessionId: string): HttpClient {
    const options = this.options();
    return createHttpClient({
      ...options,
      headers: { devKey: this.credentials.devKey, sessionId },
      secrets: [...(options.secrets ?? []), sessionId],
      limits: limitsFromSettings(BILL_LIMITS, this.settings.rate_limit),
      maxConcurrency: MAX_CONCURRENCY,
    });
  }

  /** `POST /v3/login`; concurrent callers share one sign-in. */
  signIn(): Promise<{ id: string; http: HttpClient }> {
    this.signingIn ??= (async () => {
      try {
        const http = createHttpClient({ ...this.options(), limits: LOGIN_LIMITS, maxConcurrency: 1 });
        const { username, password, organizationId, devKey } = this.credentials;
        const login = await http.request(
          { method: 'POST', url: 'v3/login', data: { username, password, organizationId, devKey } },
          loginResponseSchema,
        );
        this.session = { id: login.sessionId, http: this.sessionClient(login.sessionId) };
        this.sessions.set(this.key, { sessionId: login.sessionId, lastUsedAt: Date.now() });
        return this.session;
      } finally {
        this.signingIn = undefined;
      }
    })();
    return this.signingIn;
  }

  private async currentSession(): Promise<{ id: string; http: HttpClient }> {
    if (this.session) return this.session;
    const cached = this.sessions.get(this.key);
    if (cached && Date.now() - cached.lastUsedAt < SESSION_REUSE_MS) {
      this.session = { id: cached.sessionId, http: this.sessionClient(cached.sessionId) };
      return this.session;
    }
    return this.signIn();
  }

  /** Sends with the session; an auth failure (expired session) signs in again once and retries the call once. */
  async request<S extends z.ZodTypeAny>(req: HttpRequest, schema: S): Promise<z.output<S>> {
    const session = await this.currentSession();
    try {
      return await this.touch(session, await session.http.request(req, schema));
    } catch (error) {
      if (!isSourceError(error) || error.errorClass !== 'auth') throw error;
      this.sessions.delete(this.key);
      this.session = undefined;
      this.ctx.logger.info({ source: SOURCE_ID }, 'BILL session rejected; signing in again');
      const renewed = await this.signIn();
      return this.touch(renewed, await renewed.http.request(req, schema));
    }
  }

  private touch<T>(session: { id: string }, value: T): T {
    this.sessions.set(this.key, { sessionId: session.id, lastUsedAt: Date.now() });
    return value;
  }

  /** Pages through a v3 list (`max`/`page` → `{ results, nextPage }`) until there is no next page. */
  async *list<T extends z.ZodTypeAny>(path: string, item: T, filters?: string): AsyncGenerator<z.output<T>[]> {
    const schema = listPageSchema(item);
    const seen = new Set<string>();
    for (let page: string | undefined; ; ) {
      const result = await this.request({ url: path, params: { max: PAGE_SIZE, page, filters } }, schema);
      yield result.results as z.output<T>[];
      const next = result.nextPage?.trim();
      if (!next || result.results.length === 0) return;
      if (seen.has(next)) throw new SourceError('bad_response', SOURCE_ID, `${path}: paging returned the same next page twice`);
      seen.add(next);
      page = next;
    }
  }
}
