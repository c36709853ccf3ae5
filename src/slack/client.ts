import { LogLevel, WebClient, WebClientEvent, type RetryOptions } from '@slack/web-api';
import type { Logger } from 'pino';

/** The Slack Web API client for scheduled posts, and the per-channel pacing every poster shares. */

/** Modest retries for scheduled posts; WebClient waits out a 429's Retry-After itself before each retry. */
export const DIGEST_RETRY: RetryOptions = { retries: 5, factor: 2, minTimeout: 1_000, maxTimeout: 60_000, randomize: true };

export type DigestLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export function createSlackClient(opts: { token: string; apiUrl?: string; logger?: DigestLogger; retryConfig?: RetryOptions }): WebClient {
  const client = new WebClient(opts.token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    retryConfig: opts.retryConfig ?? DIGEST_RETRY,
    rejectRateLimitedCalls: false,
    logLevel: LogLevel.ERROR,
    timeout: 30_000,
    // web-api 8 sends with fetch: a transport error's `original` is fetch's TypeError (message and cause), which,
    // unlike axios's error in 7, carries no request config and so no Authorization header.
  });
  client.on(WebClientEvent.RATE_LIMITED, (retryAfterSec: number, info: { url?: string }) => {
    opts.logger?.warn({ method: info.url?.split('/').pop(), retryAfterSec }, 'Slack rate limited a call; retrying after Retry-After');
  });
  return client;
}

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** Serialises sends per channel and spaces their starts at least `minIntervalMs` apart (Slack: ~1 message/s/channel). */
export class ChannelPacer {
  private readonly lastStart = new Map<string, number>();
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly clock: PacerClock = realClock,
    private readonly minIntervalMs = 1_000,
  ) {}

  run<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const turn = (this.tails.get(channel) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const last = this.lastStart.get(channel);
        const wait = last === undefined ? 0 : last + this.minIntervalMs - this.clock.now();
        if (wait > 0) await this.clock.sleep(wait);
        this.lastStart.set(channel, this.clock.now());
        return send();
      });
    this.tails.set(channel, turn);
    void turn
      .finally(() => {
        if (this.tails.get(channel) === turn) this.tails.delete(channel);
      })
      .catch(() => undefined);
    return turn;
  }
}

/** One pacer per process unless a caller brings its own: every digest post shares the per-channel spacing. */
export const sharedPacer = new ChannelPacer();

export function describeSlackError(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  if (typeof data?.error === 'string') return `slack: ${data.error}`;
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\bhttps?:\/\/\S+/g, '[url]');
}
