// A small Slack Web API on 127.0.0.1 for tests: real @slack/web-api clients (and Bolt, via clientOptions.slackApiUrl)
// talk to it over HTTP, so request encoding, auth headers, retries and 429 handling are exercised for real.
// Every message and view is run through the Block Kit limits checker; that is stricter than Slack on purpose
// (a missing `text` fallback is rejected here, Slack only warns).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkMessage, checkView, type SlackViewLike } from '../../src/slack/limits.js';

type Body = Record<string, unknown>;
type Reply = Record<string, unknown> & { ok: boolean };

export interface FakeSlackUser {
  id: string;
  name: string;
  real_name: string;
  email?: string;
  tz?: string;
  is_bot?: boolean;
  deleted?: boolean;
}

export interface FakeSlackOptions {
  /** The only bot token accepted; by default any `xoxb-…` token is. */
  token?: string;
  /** Seeded users for users.info / users.lookupByEmail (default: FAKE_SLACK_USERS). */
  users?: FakeSlackUser[];
  /** The first N calls of a method answer HTTP 500 `{ok:false,error:'internal_error'}`. */
  failFirst?: Partial<Record<string, number>>;
  /** The first N calls of a method answer HTTP 429 + `Retry-After` `{ok:false,error:'ratelimited'}`. */
  rateLimitFirst?: Partial<Record<string, { count: number; retryAfterSec: number }>>;
  /** Reject messages/views that break Block Kit limits (default true). */
  checkLimits?: boolean;
  /** Unix seconds of the first message ts (default 1763000000, November 2025): match a test's pinned clock. */
  firstTs?: number;
  /** Message ts from this clock instead (still strictly increasing): match a test's running clock (SCORECARD_CLOCK_RATE). */
  clock?: () => Date;
}

export interface FakeSlackCall {
  method: string;
  /** Parsed request (form fields with JSON values such as blocks/metadata/view decoded); `token` removed. */
  body: Body;
  at: number;
  status: number;
  response: Reply;
}

export interface FakeSlackMessage {
  type: 'message';
  channel: string;
  ts: string;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  reply_broadcast?: boolean;
  edited?: { user: string; ts: string };
}

export interface FakeSlackView extends Body {
  id: string;
  hash: string;
  type: string;
}

export interface FakeSlackResponse {
  url: string;
  body: Body;
  at: number;
}

/** A call the fake keeps waiting (see FakeSlack.hold): the caller can be killed at exactly that point. */
export interface FakeSlackHold {
  /** Settles when the held call arrives (`before`) or has been handled (`after`). */
  reached: Promise<FakeSlackCall | undefined>;
  /** Lets the held call go on (its answer then goes to a caller that may be gone). */
  release(): void;
}

export interface FakeSlack {
  /** Web API base ending in `/api/`, for WebClient's `slackApiUrl` / SLACK_API_URL. */
  url: string;
  origin: string;
  botUserId: string;
  botId: string;
  teamId: string;
  calls: FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  /** Live messages in a channel (thread replies included), oldest first. */
  messages(channel: string): FakeSlackMessage[];
  /** Views by id (views.open/push/update/publish), latest version. */
  view(id: string): FakeSlackView | undefined;
  /** The Home tab last published for a user. */
  homeView(userId: string): FakeSlackView | undefined;
  /** A fresh response_url served by this fake; posts to it land in `responses`. */
  responseUrl(): string;
  responses: FakeSlackResponse[];
  failNext(method: string, count: number): void;
  rateLimitNext(method: string, count: number, retryAfterSec: number): void;
  addUser(user: FakeSlackUser): void;
  /**
   * Holds the `nth` next call of `method`: `before` it is handled (nothing happens), or `after` it is handled and
   * recorded but before it is answered (the message exists, the caller never learns its ts).
   */
  hold(method: string, nth: number, phase: 'before' | 'after'): FakeSlackHold;
  /** Answer `invalid_blocks` to any message carrying a block of these types (as a workspace without them would). */
  refuseBlockTypes(types: string[]): void;
  /** Forget calls, messages, views, responses and pending injected failures. */
  reset(): void;
  close(): Promise<void>;
}

/** Default seeded users; W111 is the user in Slack's example payloads (specs/slack/examples). */
export const FAKE_SLACK_USERS: readonly FakeSlackUser[] = [
  { id: 'W111', name: 'primary-owner', real_name: 'Primary Owner', email: 'owner@example.com', tz: 'America/New_York' },
  { id: 'U0DANA001', name: 'dana', real_name: 'Dana Reyes', email: 'dana@example.com', tz: 'America/Chicago' },
  { id: 'U0OMAR001', name: 'omar', real_name: 'Omar Haddad', email: 'omar@example.com', tz: 'Europe/London' },
];

// Fields the Web API client sends JSON-encoded inside a form body.
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'message']);
const FIRST_TS_MICROS = 1_763_000_000_000_100;
const TEAM_ID = 'T111';
const BOT = { userId: 'U0SCOREBOT', botId: 'B0SCOREBOT', appId: 'A0SCOREAPP' };

const truthy = (value: unknown) => value === true || value === 'true' || value === '1' || value === 1;
const str = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
const fail = (error: string, extra: Body = {}): Reply => ({ ok: false, error, ...extra });

function parseBody(raw: string, contentType: string, query: URLSearchParams): Body {
  if (contentType.startsWith('application/json')) return raw === '' ? {} : (JSON.parse(raw) as Body);
  const body: Body = {};
  for (const params of [query, new URLSearchParams(raw)]) {
    for (const [key, value] of params) {
      body[key] = JSON_FIELDS.has(key) && /^[[{]/.test(value) ? JSON.parse(value) : value;
    }
  }
  return body;
}

async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const checkLimits = opts.checkLimits ?? true;
  const users = new Map<string, FakeSlackUser>((opts.users ?? FAKE_SLACK_USERS).map((u) => [u.id, { ...u }]));
  const calls: FakeSlackCall[] = [];
  const responses: FakeSlackResponse[] = [];
  let messages: FakeSlackMessage[] = [];
  let views = new Map<string, FakeSlackView>();
  let homes = new Map<string, string>();
  let dmChannels = new Map<string, string>();
  let failures = new Map<string, number>();
  let rateLimits = new Map<string, { count: number; retryAfterSec: number }>();
  let holds: {
    method: string;
    remaining: number;
    phase: 'before' | 'after';
    arrive: (call?: FakeSlackCall) => void;
    released: Promise<void>;
    release: () => void;
  }[] = [];
  let seq = 0;
  let viewSeq = 0;
  let responseSeq = 0;

  const armInjections = () => {
    failures = new Map(Object.entries(opts.failFirst ?? {}).map(([m, n]) => [m, n ?? 0]));
    rateLimits = new Map(Object.entries(opts.rateLimitFirst ?? {}).flatMap(([m, r]) => (r ? [[m, { ...r }]] : [])));
  };
  armInjections();

  let lastMicros = 0;
  const nextTs = () => {
    const counted = (opts.firstTs !== undefined ? opts.firstTs * 1e6 + 100 : FIRST_TS_MICROS) + seq++ * 100;
    const micros = opts.clock ? Math.max(opts.clock().getTime() * 1000, lastMicros + 100) : counted;
    lastMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  };
  const userPayload = (u: FakeSlackUser) => ({
    id: u.id,
    team_id: TEAM_ID,
    name: u.name,
    real_name: u.real_name,
    deleted: u.deleted ?? false,
    is_bot: u.is_bot ?? false,
    tz: u.tz ?? 'America/New_York',
    profile: { real_name: u.real_name, display_name: u.name, ...(u.email ? { email: u.email } : {}) },
  });
  const findMessage = (channel: unknown, ts: unknown) => messages.find((m) => m.channel === channel && m.ts === ts);
  let refusedTypes = new Set<string>();
  const refused = (m: { blocks?: unknown[] }) =>
    (m.blocks ?? [])
      .map((b) => (b as { type?: unknown }).type)
      .filter((type): type is string => typeof type === 'string' && refusedTypes.has(type))
      .map((type) => `blocks: unsupported type ${type}`);
  const limitProblems = (m: { text?: string; blocks?: unknown[] }) => [...refused(m), ...(checkLimits ? checkMessage(m) : [])];
  const asMessage = (body: Body) => ({
    text: str(body.text),
    blocks: Array.isArray(body.blocks) ? body.blocks : undefined,
  });

  function storeView(body: Body, existing?: FakeSlackView): Reply {
    const view = body.view as SlackViewLike | undefined;
    if (!view || typeof view !== 'object') return fail('invalid_arguments', { response_metadata: { messages: ['view is required'] } });
    const problems = checkLimits ? checkView(view) : [];
    if (problems.length > 0) return fail('invalid_arguments', { response_metadata: { messages: problems } });
    viewSeq += 1;
    const id = existing?.id ?? `V${String(viewSeq).padStart(8, '0')}`;
    const stored: FakeSlackView = {
      ...(view as unknown as Body),
      id,
      type: view.type,
      team_id: TEAM_ID,
      app_id: BOT.appId,
      bot_id: BOT.botId,
      hash: `${1_763_000_000 + viewSeq}.fakehash`,
      state: { values: {} },
      root_view_id: existing?.root_view_id ?? id,
      previous_view_id: null,
    };
    views.set(id, stored);
    return { ok: true, view: stored };
  }

  const handlers: Record<string, (body: Body) => Reply> = {
    'auth.test': () => ({
      ok: true,
      url: 'https://fake-workspace.slack.com/',
      team: 'Fake Workspace',
      user: 'scorecard',
      team_id: TEAM_ID,
      user_id: BOT.userId,
      bot_id: BOT.botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (body) => {
      const channel = str(body.channel);
      if (!channel) return fail('channel_not_found');
      const content = asMessage(body);
      if (!content.text && !content.blocks?.length) return fail('no_text');
      const problems = limitProblems(content);
      if (problems.length > 0) return fail('invalid_blocks', { errors: problems });
      const thread = str(body.thread_ts);
      if (thread && !findMessage(channel, thread)) return fail('thread_not_found');
      const message: FakeSlackMessage = {
        type: 'message',
        channel,
        ts: nextTs(),
        user: BOT.userId,
        bot_id: BOT.botId,
        app_id: BOT.appId,
        team: TEAM_ID,
        ...(content.text !== undefined ? { text: content.text } : {}),
        ...(content.blocks ? { blocks: content.blocks } : {}),
        ...(body.metadata ? { metadata: body.metadata as FakeSlackMessage['metadata'] } : {}),
        ...(thread ? { thread_ts: thread, reply_broadcast: truthy(body.reply_broadcast) } : {}),
      };
      messages.push(message);
      return { ok: true, channel, ts: message.ts, message };
    },
    'chat.update': (body) => {
      const message = findMessage(body.channel, body.ts);
      if (!message) return fail('message_not_found');
      const content = asMessage(body);
      const next = { text: content.text ?? message.text, blocks: content.blocks ?? message.blocks };
      const problems = limitProblems(next);
      if (problems.length > 0) return fail('invalid_blocks', { errors: problems });
      Object.assign(message, next, body.metadata ? { metadata: body.metadata } : {}, { edited: { user: BOT.userId, ts: nextTs() } });
      return { ok: true, channel: message.channel, ts: message.ts, text: message.text ?? '', message };
    },
    'chat.delete': (body) => {
      const message = findMessage(body.channel, body.ts);
      if (!message) return fail('message_not_found');
      messages = messages.filter((m) => m !== message);
      return { ok: true, channel: message.channel, ts: message.ts };
    },
    'chat.postEphemeral': (body) => {
      if (!str(body.channel)) return fail('channel_not_found');
      if (!str(body.user)) return fail('user_not_found');
      const problems = limitProblems(asMessage(body));
      if (problems.length > 0) return fail('invalid_blocks', { errors: problems });
      return { ok: true, message_ts: nextTs() };
    },
    'conversations.history': (body) => {
      const channel = str(body.channel);
      if (!channel) return fail('channel_not_found');
      const inclusive = truthy(body.inclusive);
      const oldest = Number(body.oldest ?? 0);
      const latest = body.latest === undefined ? Infinity : Number(body.latest);
      const visible = messages
        .filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast))
        .filter((m) => (inclusive ? Number(m.ts) >= oldest && Number(m.ts) <= latest : Number(m.ts) > oldest && Number(m.ts) < latest))
        .reverse();
      return paginate(visible, body, 'messages', (m) => present(m, truthy(body.include_all_metadata)));
    },
    'conversations.replies': (body) => {
      const parent = findMessage(body.channel, body.ts);
      if (!parent) return fail('thread_not_found');
      const thread = messages.filter((m) => m.channel === parent.channel && (m === parent || m.thread_ts === parent.ts));
      return paginate(thread, body, 'messages', (m) => present(m, truthy(body.include_all_metadata)));
    },
    'conversations.open': (body) => {
      const user = str(body.users)?.split(',')[0];
      if (!user) return fail('users_list_not_supplied');
      const id = dmChannels.get(user) ?? `D${String(dmChannels.size + 1).padStart(8, '0')}`;
      dmChannels.set(user, id);
      return { ok: true, channel: { id } };
    },
    'views.open': (body) => (str(body.trigger_id) ? storeView(body) : fail('invalid_trigger_id')),
    'views.push': (body) => (str(body.trigger_id) ? storeView(body) : fail('invalid_trigger_id')),
    'views.update': (body) => {
      const existing = [...views.values()].find((v) => v.id === body.view_id || (body.external_id && v.external_id === body.external_id));
      if (!existing) return fail('not_found');
      if (body.hash !== undefined && body.hash !== existing.hash) return fail('hash_conflict');
      return storeView(body, existing);
    },
    'views.publish': (body) => {
      const userId = str(body.user_id);
      if (!userId) return fail('invalid_arguments', { response_metadata: { messages: ['user_id is required'] } });
      const existing = views.get(homes.get(userId) ?? '');
      if (existing && body.hash !== undefined && body.hash !== existing.hash) return fail('hash_conflict');
      const reply = storeView(body, existing);
      if (reply.ok) homes.set(userId, (reply.view as FakeSlackView).id);
      return reply;
    },
    'users.info': (body) => {
      const user = users.get(str(body.user) ?? '');
      return user ? { ok: true, user: userPayload(user) } : fail('user_not_found');
    },
    'users.lookupByEmail': (body) => {
      const email = str(body.email)?.toLowerCase();
      const user = [...users.values()].find((u) => u.email?.toLowerCase() === email);
      return user ? { ok: true, user: userPayload(user) } : fail('users_not_found');
    },
  };

  function present(m: FakeSlackMessage, withMetadata: boolean): Body {
    const { channel: _channel, metadata, ...rest } = m;
    return withMetadata && metadata ? { ...rest, metadata } : rest;
  }

  function paginate<T>(items: T[], body: Body, key: string, map: (item: T) => Body): Reply {
    const limit = Math.max(1, Math.min(Number(body.limit ?? 100) || 100, 999));
    const offset = body.cursor ? Number(Buffer.from(String(body.cursor), 'base64').toString().replace('offset:', '')) : 0;
    const page = items.slice(offset, offset + limit);
    const hasMore = offset + limit < items.length;
    const nextCursor = hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
    return { ok: true, [key]: page.map(map), has_more: hasMore, response_metadata: { next_cursor: nextCursor } };
  }

  function authorize(req: IncomingMessage, body: Body): Reply | undefined {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : str(body.token);
    if (!token) return fail('not_authed');
    const valid = opts.token ? token === opts.token : token.startsWith('xoxb-');
    return valid ? undefined : fail('invalid_auth');
  }

  function send(res: ServerResponse, status: number, reply: Reply, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(reply));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = parseBody(await readRaw(req), req.headers['content-type'] ?? '', url.searchParams);
    if (url.pathname.startsWith('/response/')) {
      responses.push({ url: `${origin}${url.pathname}`, body, at: Date.now() });
      const problems = body.blocks ? limitProblems(asMessage(body)) : [];
      return send(res, problems.length ? 400 : 200, problems.length ? fail('invalid_blocks', { errors: problems }) : { ok: true });
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const record = (status: number, response: Reply) => {
      const { token: _token, ...recorded } = body;
      calls.push({ method, body: recorded, at: Date.now(), status, response });
    };
    // Each hold fires once (its count then goes negative); it stays listed so close() can release it.
    let held: (typeof holds)[number] | undefined;
    for (const h of holds) if (h.method === method && --h.remaining === 0) held = h;
    if (held?.phase === 'before') {
      held.arrive();
      await held.released;
      // The caller died while held: like Slack, never act on a request whose sender is gone before it was read. A
      // release on the killed caller's exit can come before this process has seen its socket close, so give the
      // close a moment to arrive (bounded: a live caller is answered after it).
      if (!req.socket.destroyed) await Promise.race([once(req.socket, 'close'), new Promise((r) => setTimeout(r, 500))]);
      if (req.socket.destroyed) return;
    }
    const rateLimit = rateLimits.get(method);
    if (rateLimit && rateLimit.count > 0) {
      rateLimit.count -= 1;
      const reply = fail('ratelimited');
      record(429, reply);
      return send(res, 429, reply, { 'retry-after': String(rateLimit.retryAfterSec) });
    }
    if ((failures.get(method) ?? 0) > 0) {
      failures.set(method, (failures.get(method) ?? 0) - 1);
      record(500, fail('internal_error'));
      return send(res, 500, fail('internal_error'));
    }
    const handler = handlers[method];
    const reply = authorize(req, body) ?? (handler ? handler(body) : fail('unknown_method'));
    record(200, reply);
    if (held?.phase === 'after') {
      held.arrive(calls.at(-1));
      await held.released;
    }
    if (!req.socket.destroyed) send(res, 200, reply);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 200, fail('invalid_request', { detail: String(error) })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/api/`,
    origin,
    botUserId: BOT.userId,
    botId: BOT.botId,
    teamId: TEAM_ID,
    calls,
    responses,
    callsTo: (method) => calls.filter((c) => c.method === method),
    messages: (channel) => messages.filter((m) => m.channel === channel),
    view: (id) => views.get(id),
    homeView: (userId) => views.get(homes.get(userId) ?? ''),
    responseUrl: () => `${origin}/response/${++responseSeq}`,
    failNext: (method, count) => void failures.set(method, count),
    rateLimitNext: (method, count, retryAfterSec) => void rateLimits.set(method, { count, retryAfterSec }),
    addUser: (user) => void users.set(user.id, { ...user }),
    refuseBlockTypes: (types) => {
      refusedTypes = new Set(types);
    },
    hold: (method, nth, phase) => {
      let arrive!: (call?: FakeSlackCall) => void;
      let release!: () => void;
      const reached = new Promise<FakeSlackCall | undefined>((resolve) => (arrive = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ method, remaining: nth, phase, arrive, released, release });
      return { reached, release };
    },
    reset: () => {
      for (const h of holds) h.release();
      holds = [];
      refusedTypes = new Set();
      calls.length = 0;
      responses.length = 0;
      messages = [];
      views = new Map();
      homes = new Map();
      dmChannels = new Map();
      failures = new Map();
      rateLimits = new Map();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const h of holds) h.release();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
