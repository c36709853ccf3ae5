import { errorMessage } from '../errors.js';
import { LogLevel, WebClient, WebClientEvent, type RetryOptions } from '@slack/web-api';
import type { Logger } from 'pino';

/** The Slack Web API client for scheduled posts (per-channel pacing is in pacing.ts). */

/** Modest retries for scheduled posts; WebClient waits out a 429's Retry-After itself before each retry. */
export const DIGEST_RETRY: RetryOptions = { retries: 5, factor: 2, minTimeout: 1_000, maxTimeout: 60_000, randomize: true };

export type DigestLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export function createSlackClient(opts: {
  token: string;
  apiUrl?: string;
  logger?: DigestLogger;
  retryConfig?: RetryOptions;
  timeoutMs?: number;
}): WebClient {
  const client = new WebClient(opts.token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    retryConfig: opts.retryConfig ?? DIGEST_RETRY,
    rejectRateLimitedCalls: false,
    logLevel: LogLevel.ERROR,
    timeout: opts.timeoutMs ?? 30_000,
    // web-api 8 sends with fetch: a transport error's `original` is fetch's TypeError (message and cause), which,
    // unlike axios's error in 7, carries no request config and so no Authorization header.
  });
  client.on(WebClientEvent.RATE_LIMITED, (retryAfterSec: number, info: { url?: string }) => {
    opts.logger?.warn({ method: info.url?.split('/').pop(), retryAfterSec }, 'Slack rate limited a call; retrying after Retry-After');
  });
  return client;
}

export function describeSlackError(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  if (typeof data?.error === 'string') return `slack: ${data.error}`;
  const message = errorMessage(error);
  return message.replace(/\bhttps?:\/\/\S+/g, '[url]');
}
