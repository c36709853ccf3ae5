import type { z } from 'zod';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions } from '../http-types.js';
import type { Env, SourceContext } from '../source.js';
import { searchBody, type SearchQuery } from './map.js';
import {
  adminListSchema,
  conversationListSchema,
  currentAdminSchema,
  type Conversation,
  type IntercomSettings,
  type Region,
} from './schemas.js';

/** Test hooks passed through to the shared HTTP client. */
export type ClientHooks = Pick<HttpClientOptions, 'sleep' | 'random'>;

export const REGION_BASE_URLS: Record<Region, string> = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
};

/**
 * 1,000 calls per minute shared by a workspace's apps, enforced in 10-second windows: 166 per 10 s.
 * Override with `rate_limit.default` when the workspace has a different allowance or other apps use it.
 */
export const INTERCOM_LIMITS = { default: { max: 166, perMs: 10_000 } };

export function intercomBaseUrl(env: Env, region: Region): string {
  return env.INTERCOM_BASE_URL?.trim() || REGION_BASE_URLS[region];
}

/**
 * Wait before retrying, from `X-RateLimit-Reset` (UNIX seconds of the next window). Used only when the window is
 * spent (`X-RateLimit-Remaining: 0`, or absent), so a 5xx with quota left keeps the usual backoff.
 */
export function intercomRetryDelay(headers: Record<string, string>, now: number): number | undefined {
  const reset = Number(headers['x-ratelimit-reset']);
  const remaining = headers['x-ratelimit-remaining'];
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  if (remaining !== undefined && Number(remaining) > 0) return undefined;
  return Math.max(0, reset * 1000 - now);
}

export class IntercomApi {
  constructor(
    private readonly http: HttpClient,
    private readonly perPage: number,
  ) {}

  /** Every conversation matching `query`, one page at a time (cursor `pages.next.starting_after`). */
  async *searchConversations(query: SearchQuery): AsyncGenerator<Conversation[]> {
    let startingAfter: string | undefined;
    for (;;) {
      const page = await this.http.request(
        { method: 'POST', url: '/conversations/search', data: searchBody(query, this.perPage, startingAfter) },
        conversationListSchema,
      );
      yield page.conversations;
      const next = page.pages?.next?.starting_after ?? undefined;
      if (!next || page.conversations.length === 0) return;
      startingAfter = next;
    }
  }

  /** `total_count` of a search, fetching a single conversation. */
  async countConversations(query: SearchQuery): Promise<number> {
    const page = await this.http.request(
      { method: 'POST', url: '/conversations/search', data: searchBody(query, 1) },
      conversationListSchema,
    );
    return page.total_count;
  }

  async admins(): Promise<z.output<typeof adminListSchema>['admins']> {
    return (await this.http.request({ url: '/admins' }, adminListSchema)).admins;
  }

  currentAdmin(): Promise<z.output<typeof currentAdminSchema>> {
    return this.http.request({ url: '/me' }, currentAdminSchema);
  }
}

export function createIntercomApi(ctx: SourceContext, settings: IntercomSettings, hooks: ClientHooks = {}): IntercomApi {
  const token = ctx.env.INTERCOM_ACCESS_TOKEN?.trim();
  if (!token) throw new Error('Intercom is not configured');
  const http = createHttpClient({
    source: 'intercom',
    baseURL: intercomBaseUrl(ctx.env, settings.region),
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'Intercom-Version': settings.api_version,
    },
    secrets: [token],
    limits: limitsFromSettings(INTERCOM_LIMITS, settings.rate_limit),
    retryDelayFromHeaders: intercomRetryDelay,
    logger: ctx.logger,
    stats: ctx.stats,
    ...hooks,
  });
  return new IntercomApi(http, settings.per_page);
}
