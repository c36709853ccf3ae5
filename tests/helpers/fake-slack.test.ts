import { ErrorCode, LogLevel, WebClient, WebClientEvent } from '@slack/web-api';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';

const TOKEN = 'xoxb-test-token';
const FAST_RETRIES = { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 };

const client = (fake: FakeSlack, options: ConstructorParameters<typeof WebClient>[1] = {}) =>
  new WebClient(TOKEN, { slackApiUrl: fake.url, retryConfig: FAST_RETRIES, logLevel: LogLevel.ERROR, ...options });

const digestBlocks = [
  { type: 'header', text: { type: 'plain_text', text: 'Scorecard — week 2026-W47' } },
  { type: 'section', text: { type: 'mrkdwn', text: '🟢 5 🟡 1 🔴 2 ⚪ 0' } },
];
const digestMetadata = { event_type: 'scorecard_digest', event_payload: { kind: 'weekly', period: '2026-W47' } };

let fake: FakeSlack;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  fake = await startFakeSlack();
});
afterEach(() => {
  fake.reset();
  nock.cleanAll();
});
afterAll(async () => {
  await fake.close();
  nock.enableNetConnect();
});

describe('fake Slack Web API with the real WebClient', () => {
  it('serves under a base URL ending in /api/ and answers auth.test', async () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const result = await client(fake).auth.test();
    expect(result).toMatchObject({ ok: true, user_id: fake.botUserId, bot_id: fake.botId, team_id: fake.teamId });
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('rejects a wrong token with invalid_auth (a platform error, not retried)', async () => {
    const wrong = new WebClient('xoxp-user-token', { slackApiUrl: fake.url, retryConfig: FAST_RETRIES });
    await expect(wrong.auth.test()).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'invalid_auth' } });
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('records postMessage with form-encoded blocks and metadata decoded, token removed', async () => {
    const result = await client(fake).chat.postMessage({
      channel: 'C0DIGEST',
      text: 'Scorecard for 2026-W47',
      blocks: digestBlocks,
      metadata: digestMetadata,
    });
    expect(result).toMatchObject({ ok: true, channel: 'C0DIGEST', ts: '1763000000.000100' });
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.body).toEqual({ channel: 'C0DIGEST', text: 'Scorecard for 2026-W47', blocks: digestBlocks, metadata: digestMetadata });
    expect(call?.status).toBe(200);
    expect(fake.messages('C0DIGEST').map((m) => m.text)).toEqual(['Scorecard for 2026-W47']);
  });

  it('hands out increasing ts values and lists history newest first, with metadata only on request', async () => {
    const web = client(fake);
    const first = await web.chat.postMessage({ channel: 'C0DIGEST', text: 'one', blocks: digestBlocks, metadata: digestMetadata });
    const second = await web.chat.postMessage({ channel: 'C0DIGEST', text: 'two' });
    await web.chat.postMessage({ channel: 'C0DIGEST', text: 'reply', thread_ts: first.ts });
    await web.chat.postMessage({ channel: 'C0OTHER', text: 'elsewhere' });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));

    const withMetadata = await web.conversations.history({ channel: 'C0DIGEST', include_all_metadata: true });
    expect(withMetadata.messages?.map((m) => m.text)).toEqual(['two', 'one']);
    expect(withMetadata.messages?.[1]?.metadata).toEqual(digestMetadata);
    const plain = await web.conversations.history({ channel: 'C0DIGEST' });
    expect(plain.messages?.[1]).not.toHaveProperty('metadata');

    const replies = await web.conversations.replies({ channel: 'C0DIGEST', ts: first.ts! });
    expect(replies.messages?.map((m) => m.text)).toEqual(['one', 'reply']);
  });

  it('pages conversations.history with cursors', async () => {
    const web = client(fake);
    for (const text of ['a', 'b', 'c']) await web.chat.postMessage({ channel: 'C1', text });
    const page1 = await web.conversations.history({ channel: 'C1', limit: 2 });
    expect(page1.messages?.map((m) => m.text)).toEqual(['c', 'b']);
    expect(page1.has_more).toBe(true);
    const page2 = await web.conversations.history({ channel: 'C1', limit: 2, cursor: page1.response_metadata?.next_cursor });
    expect(page2.messages?.map((m) => m.text)).toEqual(['a']);
    expect(page2.has_more).toBe(false);
  });

  it('updates and deletes messages in place', async () => {
    const web = client(fake);
    const posted = await web.chat.postMessage({ channel: 'C1', text: 'v1', blocks: digestBlocks });
    await web.chat.update({ channel: 'C1', ts: posted.ts!, text: 'v2' });
    expect(fake.messages('C1')).toMatchObject([{ ts: posted.ts, text: 'v2', blocks: digestBlocks, edited: { user: fake.botUserId } }]);
    await expect(web.chat.update({ channel: 'C1', ts: '1.000000', text: 'x' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
    await web.chat.delete({ channel: 'C1', ts: posted.ts! });
    expect(fake.messages('C1')).toEqual([]);
  });

  it('rejects messages over Block Kit limits or without a text fallback, listing the problems', async () => {
    const web = client(fake);
    await expect(web.chat.postMessage({ channel: 'C1', blocks: digestBlocks })).rejects.toMatchObject({
      data: { error: 'invalid_blocks', errors: ['text: missing top-level text fallback (notifications and screen readers use it)'] },
    });
    const tooLong = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    await expect(web.chat.postEphemeral({ channel: 'C1', user: 'W111', text: 'hi', blocks: tooLong })).rejects.toMatchObject({
      data: { errors: ['blocks[0] section: text has 3001 characters (max 3000)'] },
    });
    expect(fake.messages('C1')).toEqual([]);
  });

  it('retries a 429 after Retry-After, emitting RATE_LIMITED, then succeeds', async () => {
    fake.rateLimitNext('chat.postMessage', 1, 0);
    const web = client(fake);
    const rateLimited: number[] = [];
    web.on(WebClientEvent.RATE_LIMITED, (retrySec: number) => rateLimited.push(retrySec));
    const result = await web.chat.postMessage({ channel: 'C1', text: 'after the wait' });
    expect(result.ok).toBe(true);
    expect(rateLimited).toEqual([0]);
    expect(fake.callsTo('chat.postMessage').map((c) => [c.status, c.response.error])).toEqual([
      [429, 'ratelimited'],
      [200, undefined],
    ]);
    expect(fake.messages('C1')).toHaveLength(1);
  });

  it('sends the Retry-After seconds it was given (read without waiting via rejectRateLimitedCalls)', async () => {
    const limited = await startFakeSlack({ rateLimitFirst: { 'chat.postMessage': { count: 1, retryAfterSec: 1 } } });
    try {
      const web = client(limited, { rejectRateLimitedCalls: true });
      await expect(web.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
        retryAfter: 1,
      });
      await expect(web.chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({ ok: true });
    } finally {
      await limited.close();
    }
  });

  it('answers the first N calls with HTTP 500 internal_error; WebClient retries them', async () => {
    const flaky = await startFakeSlack({ failFirst: { 'users.info': 2 } });
    try {
      const result = await client(flaky).users.info({ user: 'W111' });
      expect(result.user).toMatchObject({ id: 'W111', name: 'primary-owner' });
      expect(flaky.callsTo('users.info').map((c) => c.status)).toEqual([500, 500, 200]);
      flaky.failNext('users.info', 3);
      await expect(client(flaky).users.info({ user: 'W111' })).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    } finally {
      await flaky.close();
    }
  });

  it('looks users up by id and email from the seeded list, and opens DMs', async () => {
    const web = client(fake);
    await expect(web.users.lookupByEmail({ email: 'Dana@Example.com' })).resolves.toMatchObject({
      user: { id: 'U0DANA001', profile: { email: 'dana@example.com' }, tz: 'America/Chicago' },
    });
    await expect(web.users.lookupByEmail({ email: 'nobody@example.com' })).rejects.toMatchObject({ data: { error: 'users_not_found' } });
    fake.addUser({ id: 'U0NEW0001', name: 'new', real_name: 'New Person' });
    await expect(web.users.info({ user: 'U0NEW0001' })).resolves.toMatchObject({ user: { real_name: 'New Person' } });
    const dm = await web.conversations.open({ users: 'U0DANA001' });
    const again = await web.conversations.open({ users: 'U0DANA001' });
    expect(dm.channel?.id).toMatch(/^D/);
    expect(again.channel?.id).toBe(dm.channel?.id);
  });

  it('opens, updates (with hash check) and publishes views', async () => {
    const web = client(fake);
    const modal = {
      type: 'modal' as const,
      callback_id: 'log_entry',
      title: { type: 'plain_text' as const, text: 'Log activity' },
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Loading…' } }],
    };
    const opened = await web.views.open({ trigger_id: '111.222.valid', view: modal });
    const viewId = opened.view!.id!;
    expect(fake.view(viewId)).toMatchObject({ callback_id: 'log_entry', hash: opened.view!.hash });
    await expect(web.views.update({ view_id: viewId, hash: 'stale', view: modal })).rejects.toMatchObject({
      data: { error: 'hash_conflict' },
    });
    const updated = await web.views.update({ view_id: viewId, hash: opened.view!.hash!, view: { ...modal, callback_id: 'log_entry_2' } });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    expect(fake.view(viewId)?.callback_id).toBe('log_entry_2');

    const tooLongTitle = { ...modal, title: { type: 'plain_text' as const, text: 'A title that is far too long' } };
    await expect(web.views.push({ trigger_id: '1.2.3', view: tooLongTitle })).rejects.toMatchObject({
      data: { error: 'invalid_arguments', response_metadata: { messages: ['view title: text has 28 characters (max 24)'] } },
    });

    await web.views.publish({ user_id: 'W111', view: { type: 'home', blocks: modal.blocks } });
    expect(fake.homeView('W111')).toMatchObject({ type: 'home', blocks: modal.blocks });
  });

  it('accepts JSON bodies with a bearer token, like fetch-based clients send', async () => {
    const response = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ channel: 'C1', text: 'json', metadata: digestMetadata }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C1' });
    expect(fake.callsTo('chat.postMessage')[0]?.body).toEqual({ channel: 'C1', text: 'json', metadata: digestMetadata });
    const unauthenticated = await fetch(`${fake.url}auth.test`, { method: 'POST' });
    expect(await unauthenticated.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('serves response_urls and records what is posted to them', async () => {
    const url = fake.responseUrl();
    expect(url.startsWith(fake.origin)).toBe(true);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'Logged 3 dials' }),
    });
    expect(response.status).toBe(200);
    expect(fake.responses).toEqual([{ url, body: { response_type: 'ephemeral', text: 'Logged 3 dials' }, at: expect.any(Number) }]);
  });

  it('reset() forgets calls, messages and pending failures', async () => {
    const web = client(fake);
    await web.chat.postMessage({ channel: 'C1', text: 'x' });
    fake.failNext('auth.test', 5);
    fake.reset();
    expect(fake.calls).toEqual([]);
    expect(fake.messages('C1')).toEqual([]);
    await expect(web.auth.test()).resolves.toMatchObject({ ok: true });
  });
});

describe('fake Slack with a fixed token', () => {
  let strict: FakeSlack;
  beforeEach(async () => {
    strict = await startFakeSlack({ token: 'xoxb-the-one' });
  });
  afterEach(async () => {
    await strict.close();
  });

  it('accepts only that token', async () => {
    await expect(new WebClient('xoxb-the-one', { slackApiUrl: strict.url }).auth.test()).resolves.toMatchObject({ ok: true });
    await expect(new WebClient('xoxb-another', { slackApiUrl: strict.url }).auth.test()).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
  });
});
