import nock from 'nock';
import searchExample from './fixtures/post-conversations-search.json' with { type: 'json' };

/**
 * A stateful loopback Intercom: conversations held in memory, answered through `POST /conversations/search` by
 * evaluating the request's `AND` of filters the way the 2.14 spec documents them (`>` and `<` on dates inclusive,
 * `=` on state and `admin_assignee_id`), `pagination.per_page` to a page and `pages.next.starting_after` until the
 * last. Bodies are the spec's example (fixtures/_sources.json) re-valued; `sla_applied` follows the spec's
 * `components.schemas.sla_applied` (type `conversation_sla_summary`, `sla_name`, `sla_status`), which has no example.
 * Tests edit conversations between refreshes, as a teammate would.
 */

export const FAKE_BASE = 'https://api.intercom.io';

export interface FakeConversation {
  id: string;
  created_at: number;
  updated_at: number;
  state: 'open' | 'closed' | 'snoozed';
  admin_assignee_id: number | null;
  /** Seconds from the contact's message to the first teammate reply; null before one. */
  reply_seconds: number | null;
  sla_status: 'hit' | 'missed' | 'active' | null;
}

interface Filter {
  field: string;
  operator: string;
  value: string | number | boolean;
}
interface SearchBody {
  query: { operator: 'AND'; value: Filter[] };
  pagination: { per_page: number; starting_after?: string };
}

export class FakeIntercom {
  readonly conversations = new Map<string, FakeConversation>();
  /** Every search body received. */
  readonly searches: SearchBody[] = [];
  /** Answer this many searches on `updated_at` with 429 before serving them. */
  rateLimitChangeScans = 0;
  /** Answer every search on `updated_at` with 503 (Intercom down during the change scan). */
  changeScansDown = false;

  start(): void {
    nock(FAKE_BASE)
      .persist()
      .post('/conversations/search')
      .reply((_uri, body) => {
        const search = body as SearchBody;
        this.searches.push(search);
        const changeScan = search.query.value.some((f) => f.field === 'updated_at');
        if (this.changeScansDown && changeScan)
          return [503, { type: 'error.list', errors: [{ code: 'service_unavailable', message: 'Service Unavailable' }] }];
        if (this.rateLimitChangeScans > 0 && changeScan) {
          this.rateLimitChangeScans -= 1;
          const reset = String(Math.floor(Date.now() / 1000) + 1);
          return [
            429,
            { type: 'error.list', errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 167 in 10_seconds' }] },
            { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset },
          ];
        }
        return [200, this.page(search)];
      });
  }

  conversation(conversation: FakeConversation): void {
    this.conversations.set(conversation.id, conversation);
  }

  /** An edit in Intercom: the fields change and `updated_at` moves to `when`. */
  edit(id: string, when: number, fields: Partial<FakeConversation>): void {
    const conversation = this.conversations.get(id);
    if (!conversation) throw new Error(`no conversation ${id}`);
    this.conversations.set(id, { ...conversation, ...fields, updated_at: when });
  }

  changeScans(): SearchBody[] {
    return this.searches.filter((search) => search.query.value.some((f) => f.field === 'updated_at'));
  }

  private page(search: SearchBody) {
    const found = [...this.conversations.values()]
      .filter((c) => search.query.value.every((filter) => matches(c, filter)))
      .sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
    const offset = search.pagination.starting_after ? Number(Buffer.from(search.pagination.starting_after, 'base64').toString('utf8')) : 0;
    const perPage = search.pagination.per_page;
    const page = found.slice(offset, offset + perPage);
    const more = offset + perPage < found.length;
    return {
      ...searchExample,
      total_count: found.length,
      conversations: page.map((c) => this.body(c)),
      pages: {
        type: 'pages',
        page: Math.floor(offset / perPage) + 1,
        per_page: perPage,
        total_pages: Math.max(1, Math.ceil(found.length / perPage)),
        ...(more
          ? { next: { page: Math.floor(offset / perPage) + 2, starting_after: Buffer.from(String(offset + perPage)).toString('base64') } }
          : {}),
      },
    };
  }

  private body(c: FakeConversation) {
    const [example] = searchExample.conversations;
    const replied = c.reply_seconds === null ? null : c.created_at + c.reply_seconds;
    return {
      ...example,
      id: c.id,
      created_at: c.created_at,
      updated_at: c.updated_at,
      state: c.state,
      open: c.state === 'open',
      admin_assignee_id: c.admin_assignee_id,
      sla_applied:
        c.sla_status === null ? null : { type: 'conversation_sla_summary', sla_name: 'First reply 1h', sla_status: c.sla_status },
      statistics: {
        type: 'conversation_statistics',
        first_contact_reply_at: c.created_at,
        first_admin_reply_at: replied,
        time_to_admin_reply: c.reply_seconds,
      },
    };
  }
}

function matches(c: FakeConversation, filter: Filter): boolean {
  const actual = c[filter.field as keyof FakeConversation];
  switch (filter.operator) {
    case '>':
      return Number(actual) >= Number(filter.value);
    case '<':
      return Number(actual) <= Number(filter.value);
    case '=':
      return filter.field === 'admin_assignee_id' ? actual === Number(filter.value) : actual === filter.value;
    default:
      throw new Error(`fake Intercom: unsupported operator ${filter.operator}`);
  }
}
