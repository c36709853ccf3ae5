import type { z } from 'zod';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions } from '../http-types.js';
import type { SourceContext } from '../source.js';
import {
  firstResponseReportSchema,
  listAgentsSchema,
  listArchivesSchema,
  listBotsSchema,
  listChatsSchema,
  totalChatsReportSchema,
  type ArchivedChat,
  type ChatSummary,
  type LivechatSettings,
} from './schemas.js';
import { livechatCredentials } from './credentials.js';

/** Test hooks passed through to the shared HTTP client. */
export type ClientHooks = Pick<HttpClientOptions, 'sleep' | 'random'>;

/** LiveChat publishes no figures; 2 requests per second keeps a daily refresh far from any plausible limit. */
export const LIVECHAT_LIMITS = { default: { max: 120, perMs: 60_000 } };

/** Agent Chat API pages hold at most 100 records. */
const PAGE_LIMIT = 100;

/** LiveChat signals throttling with error type `too_many_requests`; retry it whatever the status code. */
export function classifyLivechat(res: { status: number; data: unknown }) {
  const error = (res.data as { error?: { type?: unknown } } | null | undefined)?.error;
  if (error?.type === 'too_many_requests') return { errorClass: 'rate_limited' as const, retryable: true };
  return undefined;
}

export class LivechatApi {
  constructor(private readonly http: HttpClient) {}

  totalChats(body: object): Promise<z.output<typeof totalChatsReportSchema>> {
    return this.http.request({ method: 'POST', url: '/v3.5/reports/chats/total_chats', data: body }, totalChatsReportSchema);
  }

  firstResponseTime(body: object): Promise<z.output<typeof firstResponseReportSchema>> {
    return this.http.request({ method: 'POST', url: '/v3.5/reports/chats/first_response_time', data: body }, firstResponseReportSchema);
  }

  /**
   * Chat summaries, newest first, up to `maxPages` pages; `more` tells whether pages were left. After the first
   * page only `page_id` is sent: the API remembers the filters and rejects a request that repeats them.
   */
  async *listChats(maxPages: number): AsyncGenerator<{ chats: ChatSummary[]; more: boolean }> {
    let data: object = { filters: { include_active: true, include_chats_without_threads: false }, limit: PAGE_LIMIT, sort_order: 'desc' };
    for (let page = 1; ; page++) {
      const body = await this.http.request({ method: 'POST', url: '/v3.5/agent/action/list_chats', data }, listChatsSchema);
      const next = body.next_page_id && body.chats_summary.length > 0 ? body.next_page_id : undefined;
      yield { chats: body.chats_summary, more: next !== undefined };
      if (!next || page >= maxPages) return;
      data = { page_id: next };
    }
  }

  /** Archived threads started in `filters.from/to`, one page at a time, to the last page. */
  async *listArchives(range: { from: string; to: string }): AsyncGenerator<ArchivedChat[]> {
    let data: object = { filters: range, limit: PAGE_LIMIT, sort_order: 'asc' };
    for (;;) {
      const body = await this.http.request({ method: 'POST', url: '/v3.5/agent/action/list_archives', data }, listArchivesSchema);
      yield body.chats;
      if (!body.next_page_id || body.chats.length === 0) return;
      data = { page_id: body.next_page_id };
    }
  }

  listAgents(): Promise<z.output<typeof listAgentsSchema>> {
    return this.http.request({ method: 'POST', url: '/v3.5/configuration/action/list_agents', data: {} }, listAgentsSchema);
  }

  listBots(): Promise<z.output<typeof listBotsSchema>> {
    return this.http.request({ method: 'POST', url: '/v3.5/configuration/action/list_bots', data: { all: true } }, listBotsSchema);
  }
}

export function createLivechatApi(ctx: SourceContext, settings: LivechatSettings, hooks: ClientHooks = {}): LivechatApi {
  const credentials = livechatCredentials(ctx.env);
  if (!credentials) throw new Error('LiveChat is not configured');
  const http = createHttpClient({
    source: 'livechat',
    baseURL: credentials.baseURL,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    auth: { username: credentials.accountId, password: credentials.pat },
    secrets: [credentials.pat],
    classify: classifyLivechat,
    limits: limitsFromSettings(LIVECHAT_LIMITS, settings.rate_limit),
    logger: ctx.logger,
    stats: ctx.stats,
    ...hooks,
  });
  return new LivechatApi(http);
}
