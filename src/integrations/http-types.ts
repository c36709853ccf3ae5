import type { z } from 'zod';
import type { Logger } from 'pino';
import type { SourceErrorClass } from './errors.js';

/**
 * Rate limit of one bucket: at most `max` requests reach the server in any `perMs` (exact sliding window,
 * see limiter.ts). Every attempt counts, retries included.
 */
export interface RateLimit {
  max: number;
  perMs: number;
  /**
   * Requests naming this bucket do not count toward (nor wait for) the `default` bucket, e.g. HubSpot search,
   * which the API exempts from its ten-secondly limit: `search: { max: 4, perMs: 1000, exemptFromDefault: true }`.
   * Without it a request naming a bucket must pass both that bucket and `default`.
   */
  exemptFromDefault?: boolean;
  /**
   * By default a request keeps its slot until `perMs` (+1 ms) after its response, the latest moment the server
   * can have counted it — exact, at the cost of the response time per window. With `marginMs` the request is
   * assumed to have reached the server by `start + marginMs`, which helps throughput with slow APIs but is
   * only safe when sending never takes longer than that.
   */
  marginMs?: number;
}

export interface HttpClientOptions {
  /** Source id, used in errors and logs. */
  source: string;
  baseURL: string;
  /** Default headers (auth). Their values are redacted from logs and errors automatically. */
  headers?: Record<string, string>;
  /** Basic auth; the password is redacted automatically. */
  auth?: { username: string; password: string };
  /** Named limiter buckets; `default` applies to every request (except those naming an `exemptFromDefault` bucket), others only to requests that name them. */
  limits: { default: RateLimit } & Record<string, RateLimit>;
  /**
   * Maximum requests in flight at once, per bucket name (default bucket key `default`). A number, or the
   * `default` key, caps every request of the client (exempt buckets included); other keys cap that bucket.
   * Default: 8 for the whole client.
   */
  maxConcurrency?: number | ({ default: number } & Record<string, number>);
  /** Whole-request deadline per attempt; default 30 000. */
  timeoutMs?: number;
  /**
   * Defaults: maxRetries 4, baseDelayMs 500, maxDelayMs 30 000 (capped exponential backoff, full jitter).
   * `maxRetryAfterMs` (default 120 000): a `Retry-After` / reset header asking for a longer wait ends the
   * request at once (a 429 as rate_limited, "asked to wait N s") instead of stalling the refresh.
   */
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  /** Extra strings to redact (API keys sent in query strings, access URLs…). */
  secrets?: string[];
  /**
   * Source-specific classification of an error response before the generic rules
   * (e.g. HubSpot 429 with policyName DAILY → rate_limited, not retryable).
   * Return undefined to use the defaults: 401/403 auth (never retried), 429 rate_limited (retried),
   * 5xx/network unavailable (retried), other 4xx config (not retried).
   */
  classify?: (res: { status: number; data: unknown; headers: Record<string, string> }) =>
    | {
        errorClass: SourceErrorClass;
        retryable: boolean;
        message?: string;
        /** Wait before retrying when the body says how long (used when no Retry-After / reset header does). */
        retryAfterMs?: number;
      }
    | undefined;
  /**
   * Milliseconds to wait before retrying, from source-specific headers (e.g. Intercom X-RateLimit-Reset epoch seconds).
   * `Retry-After` (seconds or HTTP date) is always honoured without this.
   */
  retryDelayFromHeaders?: (headers: Record<string, string>, now: number) => number | undefined;
  logger?: Logger;
  /**
   * Shared counters to increment as well as the client's own `stats` (pass `SourceContext.stats` so the
   * refresh records calls and 429s in `source_runs`). `deadline`, when set, is the run's overall deadline: once it
   * fires, the call in flight is aborted and no retry follows.
   */
  stats?: { calls: number; rateLimited: number; deadline?: AbortSignal; probe?: ProbePolicy };
  /** Test hook: sleep function for retry backoff (defaults to setTimeout). */
  sleep?: (ms: number) => Promise<void>;
  /** Test hook: randomness for backoff jitter, in [0, 1) (defaults to Math.random). */
  random?: () => number;
}

/**
 * A run-wide override of every client's retry and timeout policy, carried on `SourceContext.stats` so it reaches
 * every source's client unchanged: `scorecard doctor` probes with one attempt and a short timeout.
 */
export interface ProbePolicy {
  maxRetries: number;
  timeoutMs: number;
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
