import nock from 'nock';
import changedExample from './fixtures/get-incremental-tickets-cursor.json' with { type: 'json' };
import eventsExample from './fixtures/get-incremental-ticket_metric_events.json' with { type: 'json' };
import exportExample from './fixtures/get-search-export.json' with { type: 'json' };
import metricsExample from './fixtures/get-ticket_metrics.json' with { type: 'json' };

/**
 * A stateful loopback Zendesk: tickets held in memory (with what their metric set says), answered the way the
 * documented endpoints do — search count and search export evaluating the query terms the source sends
 * (`created>=`/`<`, `solved>=`/`<`, `status<solved`, `-assignee:<id>`, `-group:<id>`), `tickets/show_many` with the
 * `metric_sets` sideload, the ticket metric events export (SLA breach events from `start_time` on, one page), and the
 * cursor-based incremental ticket export (tickets whose `updated_at` is at or after
 * `start_time`, in change order, `PAGE` to a page, `after_cursor`/`after_url` until `end_of_stream`). Bodies are the
 * official examples (fixtures/_sources.json) re-valued. Tests edit tickets between refreshes, as an agent would.
 */

export const FAKE_BASE = 'https://acme.zendesk.com';
const PAGE = 2;

export interface FakeTicket {
  id: number;
  created_at: string;
  updated_at: string;
  status: string;
  assignee_id: number | null;
  group_id: number | null;
  solved_at: string | null;
  replies: number;
  reply_seconds: number;
}

const SOLVED = new Set(['solved', 'closed']);
const at = (text: string) => Date.parse(text);

export class FakeZendesk {
  readonly tickets = new Map<number, FakeTicket>();
  /** SLA breach events (`type: breach`), each on a ticket. */
  readonly breaches: { ticket_id: number; metric: string; time: string }[] = [];
  /** Every request path and query, for assertions on what a refresh asked. */
  readonly calls: URL[] = [];
  /** Answer this many incremental export calls with 429 before serving them. */
  rateLimitIncremental = 0;
  /** Answer every incremental export call with 503 (Zendesk down during the change scan). */
  incrementalDown = false;

  start(): void {
    nock(FAKE_BASE)
      .persist()
      .get(/.*/)
      .reply((uri) => {
        const url = new URL(uri, FAKE_BASE);
        this.calls.push(url);
        return this.answer(url);
      });
  }

  ticket(ticket: Omit<FakeTicket, 'updated_at'> & { updated_at?: string }): void {
    this.tickets.set(ticket.id, { ...ticket, updated_at: ticket.updated_at ?? ticket.created_at });
  }

  /** An edit in Zendesk: the fields change and `updated_at` moves to `when`. */
  edit(id: number, when: string, fields: Partial<FakeTicket>): void {
    const ticket = this.tickets.get(id);
    if (!ticket) throw new Error(`no ticket ${id}`);
    this.tickets.set(id, { ...ticket, ...fields, updated_at: when });
  }

  incrementalCalls(): URL[] {
    return this.calls.filter((url) => url.pathname === '/api/v2/incremental/tickets/cursor.json');
  }

  private answer(url: URL): [number, unknown, Record<string, string>?] {
    switch (url.pathname) {
      case '/api/v2/search/count':
        return [200, { count: this.search(url.searchParams.get('query') ?? '').length }];
      case '/api/v2/search/export':
        return [
          200,
          {
            ...exportExample,
            results: this.search(url.searchParams.get('query') ?? '').map((t) => this.body(t)),
            links: { next: null, prev: null },
            meta: { after_cursor: null, before_cursor: null, has_more: false },
          },
        ];
      case '/api/v2/tickets/show_many': {
        const found = (url.searchParams.get('ids') ?? '').split(',').flatMap((id) => this.tickets.get(Number(id)) ?? []);
        const sideload = url.searchParams.get('include') === 'metric_sets';
        return [
          200,
          { tickets: found.map((t) => this.body(t)), ...(sideload ? { metric_sets: found.map((t) => this.metricSet(t)) } : {}) },
        ];
      }
      case '/api/v2/incremental/tickets/cursor.json':
        return this.changed(url);
      case '/api/v2/incremental/ticket_metric_events': {
        const start = Number(url.searchParams.get('start_time')) * 1000;
        const events = this.breaches
          .filter((event) => at(event.time) >= start)
          .sort((a, b) => at(a.time) - at(b.time))
          .map((event, i) => ({ ...eventsExample.ticket_metric_events[0], id: 9000 + i, instance_id: 1, type: 'breach', ...event }));
        return [200, { ...eventsExample, count: events.length, ticket_metric_events: events, end_of_stream: true, next_page: null }];
      }
    }
    return [404, { error: 'InvalidEndpoint' }];
  }

  private changed(url: URL): [number, unknown, Record<string, string>?] {
    if (this.incrementalDown) return [503, { error: 'Service Unavailable' }];
    if (this.rateLimitIncremental > 0) {
      this.rateLimitIncremental -= 1;
      return [429, { error: 'APIRateLimitExceeded' }, { 'Retry-After': '7' }];
    }
    const cursor = url.searchParams.get('cursor');
    const [startSeconds, offset] = cursor
      ? Buffer.from(cursor, 'base64url').toString('utf8').split('|').map(Number)
      : [Number(url.searchParams.get('start_time')), 0];
    if (!Number.isFinite(startSeconds) || !Number.isFinite(offset)) return [400, { error: 'InvalidPaginationParameter' }];
    const changed = [...this.tickets.values()]
      .filter((t) => at(t.updated_at) >= startSeconds! * 1000)
      .sort((a, b) => at(a.updated_at) - at(b.updated_at) || a.id - b.id);
    const page = changed.slice(offset, offset! + PAGE);
    const more = offset! + PAGE < changed.length;
    const next = Buffer.from(`${startSeconds}|${offset! + PAGE}`).toString('base64url');
    const sideload = url.searchParams.get('include') === 'metric_sets';
    return [
      200,
      {
        ...changedExample,
        tickets: page.map((t) => this.body(t)),
        ...(sideload ? { metric_sets: page.map((t) => this.metricSet(t)) } : {}),
        after_cursor: next,
        after_url: `${FAKE_BASE}/api/v2/incremental/tickets/cursor.json?cursor=${next}`,
        end_of_stream: !more,
      },
    ];
  }

  /** The tickets a search query matches, evaluated term by term. */
  private search(query: string): FakeTicket[] {
    const terms = query.split(' ').filter((term) => term !== 'type:ticket');
    return [...this.tickets.values()].filter((t) => t.status !== 'deleted' && terms.every((term) => this.matches(t, term)));
  }

  private matches(t: FakeTicket, term: string): boolean {
    const range = /^(created|solved)(>=|<)(.+)$/.exec(term);
    if (range) {
      const [, field, op, value] = range;
      const when = field === 'created' ? t.created_at : SOLVED.has(t.status) ? t.solved_at : null;
      if (when === null) return false;
      return op === '>=' ? at(when) >= at(value!) : at(when) < at(value!);
    }
    if (term === 'status<solved') return !SOLVED.has(t.status);
    const excluded = /^-(assignee|group):(\d+)$/.exec(term);
    if (excluded) return (excluded[1] === 'assignee' ? t.assignee_id : t.group_id) !== Number(excluded[2]);
    throw new Error(`fake Zendesk: unsupported search term ${term}`);
  }

  private body(t: FakeTicket) {
    // The documented ticket object (the search export's own example has no results).
    const [example] = changedExample.tickets;
    return {
      ...example,
      id: t.id,
      url: `${FAKE_BASE}/api/v2/tickets/${t.id}.json`,
      created_at: t.created_at,
      updated_at: t.updated_at,
      status: t.status,
      assignee_id: t.assignee_id,
      group_id: t.group_id,
    };
  }

  private metricSet(t: FakeTicket) {
    const [example] = metricsExample.ticket_metrics;
    return {
      ...example,
      id: 3000 + t.id,
      ticket_id: t.id,
      created_at: t.created_at,
      replies: t.replies,
      reply_time_in_minutes: { business: Math.round(t.reply_seconds / 60), calendar: Math.round(t.reply_seconds / 60) },
      reply_time_in_seconds: { calendar: t.reply_seconds },
      solved_at: t.solved_at,
      url: `${FAKE_BASE}/api/v2/ticket_metrics/${3000 + t.id}`,
    };
  }
}
