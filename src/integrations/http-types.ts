import type { z } from 'zod';
import type { Logger } from 'pino';
import type { SourceErrorClass } from './errors.js';

/** Rate limit of one bucket: at most `max` requests per `perMs` (token bucket / sliding window). */
export interface RateLimit {
  max: number;
  perMs: number;
}

export interface HttpClientOptions {
  /** Source id, used in errors and logs. */
  source: string;
  baseURL: string;
  /** Default headers (auth). Their values are redacted from logs and errors automatically. */
  headers?: Record<string, string>;
  /** Basic auth; the password is redacted automatically. */
  auth?: { username: string; password: string };
  /** Named limiter buckets; `default` applies to every request, others only to requests that name them. */
  limits: { default: RateLimit } & Record<string, RateLimit>;
  /** Maximum requests in flight at once, per bucket name (default bucket key `default`). */
  maxConcurrency?: number | ({ default: number } & Record<string, number>);
  timeoutMs?: number;
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Extra strings to redact (API keys sent in query strings, access URLs…). */
  secrets?: string[];
  /**
   * Source-specific classification of an error response before the generic rules
   * (e.g. HubSpot 429 with policyName DAILY → rate_limited, not retryable).
   * Return undefined to use the defaults: 401/403 auth (never retried), 429 rate_limited (retried),
   * 5xx/network unavailable (retried), other 4xx config (not retried).
   */
  classify?: (res: { status: number; data: unknown; headers: Record<string, string> }) =>
    | { errorClass: SourceErrorClass; retryable: boolean; message?: string }
    | undefined;
  /**
   * Milliseconds to wait before retrying, from source-specific headers (e.g. Intercom X-RateLimit-Reset epoch seconds).
   * `Retry-After` (seconds or HTTP date) is always honoured without this.
   */
  retryDelayFromHeaders?: (headers: Record<string, string>, now: number) => number | undefined;
  logger?: Logger;
  /** Test hook: sleep function (defaults to setTimeout). */
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path relative to baseURL, or an absolute URL (e.g. a nextPageUrl). */
  url: string;
  params?: Record<string, string | number | boolean | undefined>;
  data?: unknown;
  headers?: Record<string, string>;
  /** Extra limiter bucket, e.g. `search` for HubSpot's per-second search limit. */
  bucket?: string;
}

export interface HttpResponse<T> {
  data: T;
  status: number;
  headers: Record<string, string>;
}

export interface HttpClient {
  /** Sends, retries, validates the body with `schema`; throws SourceError (redacted) on failure. */
  request<S extends z.ZodTypeAny>(req: HttpRequest, schema: S): Promise<z.output<S>>;
  requestWithMeta<S extends z.ZodTypeAny>(req: HttpRequest, schema: S): Promise<HttpResponse<z.output<S>>>;
  /** Counters since creation: requests sent (including retries) and 429s received. */
  readonly stats: { calls: number; rateLimited: number; retries: number };
  /** Redacts this client's secrets (and generic credential patterns) from any string. */
  redact(text: string): string;
}
