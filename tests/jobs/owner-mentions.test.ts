import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import { configSchema } from '../../src/config/schema.js';
import { loadEnv } from '../../src/config/env.js';
import { periodSettings } from '../../src/metrics/context.js';
import { metricById } from '../../src/metrics/catalog.js';
import type { Runtime } from '../../src/runtime.js';
import { createSlackClient } from '../../src/slack/client.js';
import { ChannelPacer } from '../../src/slack/pacing.js';
import { OWNER_ID_TTL_MS, resolveOwnerIds } from '../../src/slack/owner-ids.js';
import { cachedOwnerIds, saveOwnerId } from '../../src/store/slack-owner-ids.js';
import { postDigestCommand } from '../../src/cli/post.js';
import { buildDigestJob } from '../../src/jobs/digest-render.js';
import { createBotDeps } from '../../src/bot/create-deps.js';
import { answerMetric } from '../../src/bot/answer/metric-reply.js';
import { renderScorecardFor } from '../../src/bot/answer/scorecard-render.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';

/**
 * Owners given as emails are mentioned in Slack: resolved with users.lookupByEmail (the fake Slack's seeded users),
 * cached in the store so the next post looks nobody up, an unknown email named instead, and a failing lookup never
 * failing the post.
 */

const TZ = 'America/Chicago';
const NOW = new Date('2025-11-17T14:00:00Z'); // Monday 08:00 in Chicago: the scorecard for 2025-W46
const WEEK = '2025-W46';
const CHANNEL = 'C0WEEKLY01';
const explain = { definition: 'What it counts.', why: 'Why it matters.', calculation: 'How it is computed.' };
const manual = (name: string, owner: string, ownerName?: string) => ({
  name,
  unit: 'count',
  aggregate: 'sum',
  goal: { op: '>=', value: 1 },
  source: 'manual',
  owner,
  ...(ownerName ? { owner_name: ownerName } : {}),
  ...explain,
});
// Nothing is logged, so every metric is "not logged this week" in the attention section, with its owner.
const config = configSchema.parse({
  org: { name: 'Test Co', timezone: TZ },
  slack: { channels: { weekly: CHANNEL }, users: { 'configured@example.com': 'U0CONF0001' } },
  groups: [{ id: 'sales', name: 'Sales', metrics: ['dials', 'events', 'intros', 'referrals'] }],
  metrics: {
    dials: manual('Dials', 'Dana@Example.com'),
    events: manual('Networking events', 'ghost@example.com', 'Events team'),
    intros: manual('Intros', 'configured@example.com'),
    referrals: manual('Referrals', 'omar@example.com'),
  },
});
const silent = pino({ level: 'silent' });
const noWait = () => new ChannelPacer({ now: () => 0, sleep: async () => undefined });

let fake: FakeSlack;
describe.each(storeKinds())('owner mentions (%s)', (kind) => {
  const temp = useTempStore(kind);
  let rt: Runtime;
  let client: WebClient;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    fake = await startFakeSlack();
  });
  beforeEach(() => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.url };
    rt = {
      config,
      configPath: 'scorecard.yml',
      env: loadEnv(env),
      rawEnv: env,
      store: temp.store,
      logger: silent,
      now: () => NOW,
      evalContext: (when) => ({ config, now: when ?? NOW, periods: periodSettings(config), isConnected: () => true }),
      close: async () => undefined,
    };
    client = createSlackClient({ token: 'xoxb-test', apiUrl: fake.url, retryConfig: { retries: 0 } });
  });
  afterEach(() => {
    fake.reset();
  });
  afterAll(async () => {
    await fake.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const post = () => postDigestCommand(rt, 'weekly', { period: WEEK }, { client, pacer: noWait(), out: () => undefined });
  const postedText = () => JSON.stringify(fake.messages(CHANNEL).map((m) => m.blocks));
  const lookups = () => fake.callsTo('users.lookupByEmail').length;

  it('mentions an email owner, names an unknown one, and looks nobody up again on the next post', async () => {
    await post();
    const text = postedText();
    expect(text).toContain('<@U0DANA001>');
    expect(text).toContain('<@U0OMAR001>');
    expect(text).toContain('<@U0CONF0001>'); // slack.users wins, without a lookup
    expect(text).toContain('Events team'); // unknown to Slack: owner_name, no mention
    expect(text).not.toContain('ghost@example.com');
    // Dana, Omar and the unknown email; the configured one needs no call.
    expect(
      fake
        .callsTo('users.lookupByEmail')
        .map((c) => c.body.email)
        .sort(),
    ).toEqual(['dana@example.com', 'ghost@example.com', 'omar@example.com']);
    const cache = await cachedOwnerIds(temp.store, ['dana@example.com', 'ghost@example.com']);
    expect(cache.get('dana@example.com')?.userId).toBe('U0DANA001');
    expect(cache.get('ghost@example.com')?.userId).toBeNull();

    fake.reset();
    // The next render of the weekly post (a re-post, a later week) reads the cache: no call to Slack.
    const { messages } = await buildDigestJob(rt, 'weekly', WEEK, CHANNEL, client).render();
    expect(lookups()).toBe(0);
    expect(JSON.stringify(messages)).toContain('<@U0DANA001>');
    expect(JSON.stringify(messages)).toContain('Events team');
  });

  it('posts all the same when lookups fail, mentioning from a stale cache entry or naming the owner', async () => {
    await saveOwnerId(temp.store, 'omar@example.com', 'U0OMAR001', new Date(NOW.getTime() - 2 * OWNER_ID_TTL_MS));
    fake.failNext('users.lookupByEmail', 10);
    const result = await post();
    expect(result.outcome).toBe('posted');
    const text = postedText();
    expect(lookups()).toBe(3);
    expect(text).toContain('<@U0OMAR001>'); // stale, but better than nothing
    expect(text).not.toContain('<@U0DANA001>');
    expect(text).toContain('Dana@Example.com'); // no owner_name: the email, whole
    // A failed lookup is not cached as "not found": the next post tries again.
    expect((await cachedOwnerIds(temp.store, ['dana@example.com'])).get('dana@example.com')).toBeUndefined();
  });

  it('looks an expired entry up again, and a miss again after a day', async () => {
    const day = 86_400_000;
    await saveOwnerId(temp.store, 'dana@example.com', 'U0OLDDANA1', new Date(NOW.getTime() - OWNER_ID_TTL_MS - 1));
    await saveOwnerId(temp.store, 'omar@example.com', 'U0OMAR001', new Date(NOW.getTime() - 6 * day));
    await saveOwnerId(temp.store, 'ghost@example.com', null, new Date(NOW.getTime() - day - 1));
    const mentions = await resolveOwnerIds({ store: temp.store, users: {}, client, now: NOW }, [
      'dana@example.com',
      'omar@example.com',
      'ghost@example.com',
      'U0DANA001',
      'S0GROUP001',
      null,
    ]);
    expect(
      fake
        .callsTo('users.lookupByEmail')
        .map((c) => c.body.email)
        .sort(),
    ).toEqual(['dana@example.com', 'ghost@example.com']);
    expect(Object.fromEntries(mentions)).toEqual({ 'dana@example.com': 'U0DANA001', 'omar@example.com': 'U0OMAR001' });
  });

  it('mentions the owner in /metric and /scorecard answers, through the same cache', async () => {
    const deps = createBotDeps(rt);
    const answer = await answerMetric(deps, metricById(config, 'dials')!, WEEK, { userId: 'U0DANA001', channelId: 'C0ANY00001' });
    expect(JSON.stringify(answer.blocks)).toContain('owner <@U0DANA001>');
    expect(lookups()).toBe(1);
    const messages = await renderScorecardFor(deps, {
      text: WEEK,
      userId: 'U0DANA001',
      channelId: 'C0ANY00001',
      nowIso: NOW.toISOString(),
    });
    expect(JSON.stringify(messages)).toContain('<@U0OMAR001>');
    expect(
      fake
        .callsTo('users.lookupByEmail')
        .map((c) => c.body.email)
        .sort(),
    ).toEqual(['dana@example.com', 'ghost@example.com', 'omar@example.com']);
  });
});
