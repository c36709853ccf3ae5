import { errorMessage } from '../errors.js';
import type { AxiosInstance, AxiosResponse, AxiosStatic } from 'axios';
import type { z } from 'zod';
import type { Logger } from 'pino';
import { SourceError, type SourceErrorClass } from './errors.js';
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse, ProbePolicy, RateLimit } from './http-types.js';
import { RequestLimiter, type Limits, type Permit } from './limiter.js';
import { createRedactor, LOG_REDACT_PATHS } from './redact.js';

/**
 * The shared HTTP client every source is built on: an exact per-bucket limiter, retries with capped
 * exponential backoff and full jitter (honouring `Retry-After`), zod validation of every body, and
 * redaction of every log line and error. Nothing from axios escapes: every failure is a SourceError.
 */

export { limitsFromSettings, rateLimitSettingsSchema, type RateLimitSettings } from './limiter.js';

const DEFAULT_TIMEOUT_MS = 30_000;
/** Client-wide cap when a source sets none: bursts stay polite even under a generous rate limit. */
const DEFAULT_MAX_CONCURRENCY = 8;
const DEFAULT_RETRY = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN']);
const MAX_DETAIL_CHARS = 200;

type Failure = {
  errorClass: SourceErrorClass;
  retryable: boolean;
  message: string;
  status?: number;
  headers?: Record<string, string>;
  /** A wait the source derived from the error body (HubSpot's 429 policies); headers still win. */
  retryAfterMs?: number;
};

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// axios, and Node's HTTP stack under it, load with the first request rather than with the source: a command that only
// asks whether a source is configured (`scorecard metric cash`) never pays for them.
let axiosLoading: Promise<AxiosStatic> | undefined;
const loadAxios = () => (axiosLoading ??= import('axios').then((module) => module.default));

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const probe = options.stats?.probe;
  const retry = { ...DEFAULT_RETRY, ...definedOnly(options.retry ?? {}), ...(probe ? { maxRetries: probe.maxRetries } : {}) };
  const timeoutMs = probe?.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const redactText = createRedactor(collectSecrets(options));
  const limiter = new RequestLimiter(options.limits as Limits, options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
  const logger = childLogger(options.logger, options.source);
  const stats = { calls: 0, rateLimited: 0, retries: 0 };
  const deadline = options.stats?.deadline;
  let instance: Promise<AxiosInstance> | undefined;
  const axiosInstance = () =>
    (instance ??= loadAxios().then((axios) =>
      axios.create({
        baseURL: options.baseURL,
        timeout: timeoutMs,
        headers: options.headers,
        auth: options.auth,
        // Statuses are classified here, so axios only throws for transport failures.
        validateStatus: () => true,
      }),
    ));

  const fail = (failure: Failure): SourceError =>
    new SourceError(failure.errorClass, options.source, redactText(failure.message), failure.status);

  const describe = async (req: HttpRequest): Promise<string> => {
    const method = req.method ?? 'GET';
    try {
      return redactText(`${method} ${(await axiosInstance()).getUri({ url: req.url, params: req.params })}`);
    } catch {
      return redactText(`${method} ${req.url}`);
    }
  };

  /** One attempt: waits for the limiter, then sends. `ms` is the time on the wire, not the wait. */
  async function sendOnce(req: HttpRequest): Promise<{ outcome: AxiosResponse<unknown> | Failure; ms: number }> {
    const client = await axiosInstance(); // before the permit: loading axios is neither the wait nor the wire
    let permit: Permit;
    try {
      permit = await limiter.acquire(req.bucket);
    } catch (error) {
      throw new SourceError('config', options.source, errorMessage(error));
    }
    const sentAt = Date.now();
    stats.calls++;
    if (options.stats) options.stats.calls++;
    try {
      const response = await client.request<unknown>({
        method: req.method ?? 'GET',
        url: req.url,
        params: req.params,
        data: req.data,
        headers: req.headers,
        signal: deadline ? AbortSignal.any([AbortSignal.timeout(timeoutMs), deadline]) : AbortSignal.timeout(timeoutMs),
      });
      return { outcome: response, ms: Date.now() - sentAt };
    } catch (error) {
      return { outcome: networkFailure(await loadAxios(), error, await describe(req), timeoutMs), ms: Date.now() - sentAt };
    } finally {
      permit.release();
    }
  }

  async function requestWithMeta<S extends z.ZodTypeAny>(req: HttpRequest, schema: S): Promise<HttpResponse<z.output<S>>> {
    const what = await describe(req);
    for (let attempt = 0; ; attempt++) {
      if (deadline?.aborted) throw fail({ errorClass: 'unavailable', retryable: false, message: `${what}: the refresh deadline passed` });
      const { outcome, ms } = await sendOnce(req);
      let failure: Failure;
      if ('errorClass' in outcome) {
        failure = outcome;
      } else {
        const headers = flattenHeaders(outcome.headers);
        logger?.debug({ request: what, status: outcome.status, ms, attempt }, `${what} → ${outcome.status}`);
        if (outcome.status === 429) {
          stats.rateLimited++;
          if (options.stats) options.stats.rateLimited++;
        }
        if (outcome.status >= 200 && outcome.status < 300) {
          const parsed = schema.safeParse(outcome.data);
          if (parsed.success) return { data: parsed.data as z.output<S>, status: outcome.status, headers };
          throw fail({
            errorClass: 'bad_response',
            retryable: false,
            message: `${what}: unexpected response shape (${describeIssues(parsed.error)})`,
          });
        }
        failure = classifyStatus(options, outcome.status, outcome.data, headers, what);
      }

      const delayMs = failure.retryable && attempt < retry.maxRetries ? retryDelay(failure, attempt) : undefined;
      if (delayMs === undefined) {
        const error = fail(failure);
        logger?.warn({ request: what, errorClass: failure.errorClass, status: failure.status, attempts: attempt + 1 }, error.message);
        throw error;
      }
      stats.retries++;
      logger?.warn(
        { request: what, errorClass: failure.errorClass, status: failure.status, attempt: attempt + 1, delayMs },
        redactText(`retrying in ${delayMs} ms: ${failure.message}`),
      );
      // The run's deadline cuts a backoff short: the next attempt then fails at once.
      await (deadline ? Promise.race([sleep(delayMs), aborted(deadline)]) : sleep(delayMs));
    }
  }

  /** Header-given wait if any (failing when it is unreasonably long), else capped exponential backoff with full jitter. */
  function retryDelay(failure: Failure, attempt: number): number | undefined {
    const fromHeaders =
      (failure.headers ? headerDelayMs(failure.headers, options.retryDelayFromHeaders) : undefined) ?? failure.retryAfterMs;
    if (fromHeaders !== undefined) {
      if (fromHeaders > retry.maxRetryAfterMs) {
        failure.retryable = false;
        failure.message += ` (asked to wait ${Math.ceil(fromHeaders / 1000)} s)`;
        return undefined;
      }
      return fromHeaders;
    }
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
    return Math.floor(random() * ceiling);
  }

  return {
    async request(req, schema) {
      return (await requestWithMeta(req, schema)).data;
    },
    requestWithMeta,
    stats,
    redact: redactText,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function collectSecrets(options: HttpClientOptions): string[] {
  const secrets = [...(options.secrets ?? [])];
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (/^(authorization|x-api-key|api-key|apikey|x-auth-token|cookie)$/i.test(name) || /token|key|secret/i.test(name)) {
      secrets.push(value);
      const credential = /^\s*\S+\s+(\S+)\s*$/.exec(value)?.[1];
      if (credential) secrets.push(credential);
    }
  }
  if (options.auth) secrets.push(options.auth.password, `${options.auth.username}:${options.auth.password}`);
  return secrets;
}

function childLogger(logger: Logger | undefined, source: string): Logger | undefined {
  return logger?.child({ source, component: 'http' }, { redact: { paths: LOG_REDACT_PATHS, censor: '[REDACTED]' } });
}

function flattenHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function classifyStatus(options: HttpClientOptions, status: number, data: unknown, headers: Record<string, string>, what: string): Failure {
  const detail = bodyDetail(data);
  const base = `${what} → ${status}${detail ? `: ${detail}` : ''}`;
  const custom = options.classify?.({ status, data, headers });
  if (custom) return { ...custom, message: custom.message ? `${what} → ${status}: ${custom.message}` : base, status, headers };
  if (status === 401 || status === 403) return { errorClass: 'auth', retryable: false, message: base, status, headers };
  if (status === 429) return { errorClass: 'rate_limited', retryable: true, message: base, status, headers };
  if (status >= 500 || status === 408) return { errorClass: 'unavailable', retryable: true, message: base, status, headers };
  if (status >= 400) return { errorClass: 'config', retryable: false, message: base, status, headers };
  return { errorClass: 'bad_response', retryable: false, message: `${base} (unexpected status)`, status, headers };
}

/** A short, human part of an error body (API message fields), for the error text. Redacted by the caller. */
function bodyDetail(data: unknown): string {
  if (typeof data === 'string') return data.replace(/\s+/g, ' ').trim().slice(0, MAX_DETAIL_CHARS);
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    for (const key of ['message', 'error_description', 'error', 'detail', 'title', 'description']) {
      const value = record[key];
      if (typeof value === 'string') return value.slice(0, MAX_DETAIL_CHARS);
      if (value && typeof value === 'object' && typeof (value as Record<string, unknown>).message === 'string') {
        return String((value as Record<string, unknown>).message).slice(0, MAX_DETAIL_CHARS);
      }
    }
    const errors = record.errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const first = errors[0] as unknown;
      if (typeof first === 'string') return first.slice(0, MAX_DETAIL_CHARS);
      if (first && typeof first === 'object') {
        const message = (first as Record<string, unknown>).message ?? (first as Record<string, unknown>).msg;
        if (typeof message === 'string') return message.slice(0, MAX_DETAIL_CHARS);
      }
    }
  }
  return '';
}

function networkFailure(axios: AxiosStatic, error: unknown, what: string, timeoutMs: number): Failure {
  const code = axios.isAxiosError(error) ? error.code : (error as { code?: unknown } | undefined)?.code;
  const name = (error as { name?: unknown } | undefined)?.name;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const effective = typeof code === 'string' ? code : typeof cause === 'string' ? cause : undefined;
  if (effective === 'ERR_CANCELED' || name === 'TimeoutError' || name === 'CanceledError') {
    return { errorClass: 'unavailable', retryable: true, message: `${what}: timed out after ${timeoutMs} ms` };
  }
  const text = errorMessage(error);
  const retryable = effective !== undefined && RETRYABLE_NETWORK_CODES.has(effective);
  return { errorClass: 'unavailable', retryable, message: `${what}: ${effective ?? 'network error'}: ${text}` };
}

/** `Retry-After` (seconds or HTTP date), then the source's own reset headers. */
function headerDelayMs(headers: Record<string, string>, fromHeaders: HttpClientOptions['retryDelayFromHeaders']): number | undefined {
  const now = Date.now();
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const custom = fromHeaders?.(headers, now);
  return custom === undefined || !Number.isFinite(custom) ? undefined : Math.max(0, Math.ceil(custom));
}

/** Issue paths and kinds only: a zod message may quote body values, which could be secret. */
function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    const expected = issue.code === 'invalid_type' ? ` expected ${issue.expected}` : '';
    return `${path}: ${issue.code}${expected}`;
  });
  const more = error.issues.length > 3 ? `; +${error.issues.length - 3} more` : '';
  return shown.join('; ') + more;
}

export type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse, ProbePolicy, RateLimit };
