import type { z } from 'zod';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions } from '../http-types.js';
import type { SourceContext } from '../source.js';
import {
  currentUserSchema,
  groupListSchema,
  userSearchSchema,
  searchCountSchema,
  searchExportSchema,
  ticketMetricEventsPageSchema,
  ticketsWithMetricSetsSchema,
  changedTicketsPageSchema,
  type ChangedTicketsPage,
  type ExportedTicket,
  type TicketMetric,
  type TicketMetricEvent,
  type ZendeskSettings,
} from './schemas.js';
import { zendeskCredentials } from './credentials.js';

/** Test hooks passed through to the shared HTTP client. */
export type ClientHooks = Pick<HttpClientOptions, 'sleep' | 'random'>;

/**
 * The Team plan's account limit (the lowest plan), the search export's own 100 requests/min and the
 * incremental exports' 10 requests/min.
 */
export const ZENDESK_LIMITS = {
  default: { max: 200, perMs: 60_000 },
  export: { max: 100, perMs: 60_000 },
  incremental: { max: 10, perMs: 60_000 },
};

const METRIC_EVENTS_PATH = '/api/v2/incremental/ticket_metric_events';
const CHANGED_TICKETS_PATH = '/api/v2/incremental/tickets/cursor.json';
/** A bound on one change scan: at the export's 1,000 tickets a page, a million changed tickets. */
const MAX_CHANGE_PAGES = 1000;

type PageRequest = { url: string; params?: Record<string, string | number> };

export class ZendeskApi {
  private readonly origin: string;

  constructor(
    private readonly http: HttpClient,
    baseURL: string,
    private readonly pageSize: number,
  ) {
    this.origin = new URL(baseURL).origin;
  }

  /** Number of tickets matching a search query (`GET /api/v2/search/count`). */
  async countTickets(query: string): Promise<number> {
    const body = await this.http.request({ url: '/api/v2/search/count', params: { query } }, searchCountSchema);
    return body.count;
  }

  /**
   * Every ticket matching `query`, one page at a time, through the cursor-paginated search export
   * (no 1,000-result cap, unlike `/search`). Follows `links.next` while `meta.has_more`.
   */
  async *exportTickets(query: string): AsyncGenerator<ExportedTicket[]> {
    let request: { url: string; params?: Record<string, string | number> } = {
      url: '/api/v2/search/export',
      params: { query, 'filter[type]': 'ticket', 'page[size]': this.pageSize },
    };
    for (;;) {
      const page = await this.http.request({ ...request, bucket: 'export' }, searchExportSchema);
      yield page.results;
      if (!page.meta.has_more) return;
      request = this.nextRequest(query, page.links?.next ?? null, page.meta.after_cursor ?? null);
    }
  }

  /**
   * The next export page: the `links.next` URL when it points at this account (credentials never leave for
   * another host), otherwise the same query with `page[after]` set to the cursor.
   */
  private nextRequest(query: string, next: string | null, afterCursor: string | null) {
    if (next && new URL(next, this.origin).origin === this.origin) return { url: next };
    if (!afterCursor) throw new Error('Zendesk search export said has_more without a cursor');
    return {
      url: '/api/v2/search/export',
      params: { query, 'filter[type]': 'ticket', 'page[size]': this.pageSize, 'page[after]': afterCursor },
    };
  }

  /**
   * Ticket metric events from `start` on, one page at a time, through the time-based incremental export
   * (events in time order). Stops at the end of the stream, once a page reaches `end` (later pages only hold
   * later events), or when a page makes no progress (a last page can point back at itself).
   */
  async *ticketMetricEvents(start: Date, end: Date): AsyncGenerator<TicketMetricEvent[]> {
    const endSeconds = Math.ceil(end.getTime() / 1000);
    let startTime = Math.floor(start.getTime() / 1000);
    let request: PageRequest = { url: METRIC_EVENTS_PATH, params: { start_time: startTime } };
    for (;;) {
      const page = await this.http.request({ ...request, bucket: 'incremental' }, ticketMetricEventsPageSchema);
      yield page.ticket_metric_events;
      const lastEvent = page.ticket_metric_events.at(-1);
      const reached = page.end_time ?? (lastEvent ? Math.floor(Date.parse(lastEvent.time) / 1000) : startTime);
      if (page.end_of_stream === true || reached >= endSeconds || reached <= startTime) return;
      startTime = reached;
      request = this.sameAccount(page.next_page) ? { url: page.next_page } : { url: METRIC_EVENTS_PATH, params: { start_time: startTime } };
    }
  }

  /**
   * Tickets changed since `start`, with their metric sets, through the cursor-based incremental ticket export
   * (the `incremental` bucket: 10 requests a minute). Follows `after_url` (or `cursor=`) until `end_of_stream`.
   */
  async *changedTickets(start: Date): AsyncGenerator<ChangedTicketsPage> {
    const include = 'metric_sets';
    let request: PageRequest = { url: CHANGED_TICKETS_PATH, params: { start_time: Math.floor(start.getTime() / 1000), include } };
    for (let page = 0; page < MAX_CHANGE_PAGES; page++) {
      const body = await this.http.request({ ...request, bucket: 'incremental' }, changedTicketsPageSchema);
      yield body;
      if (body.end_of_stream || !body.after_cursor) return;
      request = this.sameAccount(body.after_url)
        ? { url: withParam(new URL(body.after_url, this.origin), 'include', include) }
        : { url: CHANGED_TICKETS_PATH, params: { cursor: body.after_cursor, include } };
    }
    throw new Error(`Zendesk incremental ticket export did not reach end_of_stream in ${MAX_CHANGE_PAGES} pages`);
  }

  /** Whether a next-page URL points at this account: credentials never leave for another host. */
  private sameAccount(url: string | null | undefined): url is string {
    return typeof url === 'string' && url !== '' && new URL(url, this.origin).origin === this.origin;
  }

  /** Metric sets of up to 100 tickets in one call (`tickets/show_many` with the `metric_sets` sideload). */
  async metricSets(ticketIds: readonly number[]): Promise<TicketMetric[]> {
    if (ticketIds.length === 0) return [];
    const body = await this.http.request(
      { url: '/api/v2/tickets/show_many', params: { ids: ticketIds.join(','), include: 'metric_sets' } },
      ticketsWithMetricSetsSchema,
    );
    return body.metric_sets;
  }

  /** Assignee and group of up to 100 tickets (`tickets/show_many`); deleted tickets are simply absent. */
  async ticketOwners(ticketIds: readonly number[]): Promise<z.output<typeof ticketsWithMetricSetsSchema>['tickets']> {
    if (ticketIds.length === 0) return [];
    const body = await this.http.request(
      { url: '/api/v2/tickets/show_many', params: { ids: ticketIds.join(',') } },
      ticketsWithMetricSetsSchema,
    );
    return body.tickets;
  }

  /** User ids whose email is exactly `email` (case-insensitive), via user search. */
  async userIdsByEmail(email: string): Promise<number[]> {
    const body = await this.http.request({ url: '/api/v2/users/search', params: { query: email } }, userSearchSchema);
    return body.users.filter((user) => user.email?.toLowerCase() === email.toLowerCase()).map((user) => user.id);
  }

  /** Every group, following `next_page` on this account. */
  async groups(): Promise<z.output<typeof groupListSchema>['groups']> {
    const groups: z.output<typeof groupListSchema>['groups'] = [];
    let request: PageRequest = { url: '/api/v2/groups', params: { per_page: 100 } };
    for (let page = 0; page < 100; page++) {
      const body = await this.http.request(request, groupListSchema);
      groups.push(...body.groups);
      if (!this.sameAccount(body.next_page)) break;
      request = { url: body.next_page };
    }
    return groups;
  }

  currentUser(): Promise<z.output<typeof currentUserSchema>> {
    return this.http.request({ url: '/api/v2/users/me' }, currentUserSchema);
  }
}

/** The URL with `name` set unless it already has one (a next-page link that dropped the sideload keeps it). */
function withParam(url: URL, name: string, value: string): string {
  if (!url.searchParams.has(name)) url.searchParams.set(name, value);
  return url.toString();
}

export function createZendeskApi(ctx: SourceContext, settings: ZendeskSettings, hooks: ClientHooks = {}): ZendeskApi {
  const credentials = zendeskCredentials(ctx.env);
  if (!credentials) throw new Error('Zendesk is not configured');
  const http = createHttpClient({
    source: 'zendesk',
    baseURL: credentials.baseURL,
    headers: { Accept: 'application/json', ...credentials.headers },
    auth: credentials.auth,
    secrets: [ctx.env.ZENDESK_API_TOKEN, ctx.env.ZENDESK_OAUTH_TOKEN].filter((s): s is string => Boolean(s)),
    limits: limitsFromSettings(ZENDESK_LIMITS, settings.rate_limit),
    logger: ctx.logger,
    stats: ctx.stats,
    ...hooks,
  });
  return new ZendeskApi(http, credentials.baseURL, settings.page_size);
}
