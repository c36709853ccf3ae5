import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import { configSchema } from '../../src/config/schema.js';
import { loadEnv } from '../../src/config/env.js';
import type { StatusKind } from '../../src/metrics/types.js';
import type { Store } from '../../src/store/db.js';
import { claimDigestRun, getDigestRun, setDigestMessageTs, type DigestKey } from '../../src/store/digest-runs.js';
import { addManualEntry } from '../../src/store/manual-entries.js';
import type { DigestSnapshot } from '../../src/report/changes.js';
import type { SlackMessage } from '../../src/slack/blocks.js';
import { chartFigures, isChart, trendChart } from '../../src/slack/chart.js';
import { DIGEST_EVENT_TYPE, type DigestJob, type PostDeps } from '../../src/slack/digest-job.js';
import { postDigest } from '../../src/slack/post.js';
import { createSlackClient } from '../../src/slack/client.js';
import { ChannelPacer, type PacerClock } from '../../src/slack/pacing.js';
import { buildDigestJob } from '../../src/jobs/digest-render.js';
import { postDigestCommand } from '../../src/cli/post.js';
import { UsageError } from '../../src/cli/common.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { removeTempDb, storeKinds, tempDbPath, useTempStore } from '../helpers/tmp-store.js';
import { periodSettings } from '../../src/metrics/context.js';

const TOKEN = 'xoxb-test-token';
const FAST_RETRIES = { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 10 };
const CHANNEL = 'C0WEEKLY';
// Monday 17 Nov 2025, 08:00 in Chicago; the fake Slack's message ts values fall in that week.
const NOW = new Date('2025-11-17T14:00:00Z');
const KEY: DigestKey = { kind: 'weekly', period: '2025-W46', channel: CHANNEL };
const silent = pino({ level: 'silent' });

/** Only `sleep` moves it, so the test sees exactly how long the pacer would have waited. */
class FakeClock implements PacerClock {
  t = 1_000_000;
  sleeps: number[] = [];
  now = () => this.t;
  sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.t += ms;
  };
}

const section = (text: string): SlackMessage => ({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
const figures = (entries: Record<string, [string, StatusKind]>): DigestSnapshot =>
  Object.fromEntries(
    Object.entries(entries).map(([id, [text, status]]) => [id, { text, status, name: id[0]!.toUpperCase() + id.slice(1) }]),
  );

function job(parts: number, snapshot: DigestSnapshot, key: DigestKey = KEY): DigestJob {
  const messages = Array.from({ length: parts }, (_, i) =>
    section(i === 0 ? `Scorecard ${key.period}` : `Scorecard ${key.period} (continued ${i + 1}/${parts})`),
  );
  return { ...key, render: async () => ({ messages, snapshot }) };
}

let fake: FakeSlack;
describe.each(storeKinds())('post (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  let clock: FakeClock;
  let now: Date;
  let deps: PostDeps;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    fake = await startFakeSlack();
  });
  beforeEach(async () => {
    store = temp.store;
    clock = new FakeClock();
    now = NOW;
    const client = createSlackClient({ token: TOKEN, apiUrl: fake.url, retryConfig: FAST_RETRIES });
    deps = { store, client, logger: silent, now: () => now, pacer: new ChannelPacer(clock) };
  });
  afterEach(async () => {
    fake.reset();
    nock.cleanAll();
  });
  afterAll(async () => {
    await fake.close();
    nock.enableNetConnect();
  });

  const parents = () => fake.messages(CHANNEL).filter((m) => !m.thread_ts);
  const replies = (ts: string) => fake.messages(CHANNEL).filter((m) => m.thread_ts === ts);

  describe('postDigest: exactly once per period and channel', () => {
    it('posts the parent with metadata, then the continuation parts in its thread, and records it in the ledger', async () => {
      const result = await postDigest(deps, job(3, figures({ dials: ['118', 'yellow'] })));
      expect(result).toEqual({ outcome: 'posted', ts: parents()[0]!.ts, changes: [] });
      expect(parents()[0]!.metadata).toEqual({ event_type: DIGEST_EVENT_TYPE, event_payload: { kind: 'weekly', period: '2025-W46' } });
      expect(replies(result.ts).map((m) => m.text)).toEqual(['Scorecard 2025-W46 (continued 2/3)', 'Scorecard 2025-W46 (continued 3/3)']);
      expect(replies(result.ts).map((m) => m.metadata?.event_payload.part)).toEqual([2, 3]);
      const run = await getDigestRun(store, KEY);
      expect(run).toMatchObject({ status: 'posted', message_ts: result.ts, attempts: 1 });
      expect(JSON.parse(run!.snapshot!)).toMatchObject({ figures: { dials: { text: '118' } }, parts: replies(result.ts).map((m) => m.ts) });
    });

    it('a chart Slack refuses (invalid_blocks) is dropped and the message sent again, with one warning per digest', async () => {
      const input = {
        name: 'Dials',
        unit: 'count' as const,
        weeks: ['2025-W45', '2025-W46'],
        values: [90, 100],
        goals: [
          { op: '>=' as const, value: 125 },
          { op: '>=' as const, value: 125 },
        ],
      };
      const chartReply: SlackMessage = { text: 'Off-track trends', blocks: [trendChart(input), chartFigures(input)] };
      const messages = [section('Scorecard 2025-W46'), chartReply, chartReply];
      fake.refuseBlockTypes(['data_visualization']);
      const warnings: unknown[] = [];
      const logger = {
        ...silent,
        info: () => {},
        debug: () => {},
        error: () => {},
        warn: (...args: unknown[]) => void warnings.push(args),
      };
      const result = await postDigest({ ...deps, logger }, { ...KEY, render: async () => ({ messages, snapshot: figures({}) }) });
      expect(result.outcome).toBe('posted');
      const thread = replies(result.ts);
      expect(thread).toHaveLength(2);
      for (const reply of thread) {
        expect(reply.blocks!.some(isChart)).toBe(false);
        expect(JSON.stringify(reply.blocks)).toContain('W46 100 · goal ≥ 125');
      }
      expect(fake.callsTo('chat.postMessage').filter((c) => c.response.error === 'invalid_blocks')).toHaveLength(2);
      expect(warnings).toHaveLength(1);
    });

    it('a second run with the same numbers sends nothing', async () => {
      const first = await postDigest(deps, job(1, figures({ dials: ['118', 'yellow'] })));
      const callsAfterFirst = fake.calls.length;
      const second = await postDigest(deps, job(1, figures({ dials: ['118', 'yellow'] })));
      expect(second).toEqual({ outcome: 'unchanged', ts: first.ts, changes: [] });
      expect(fake.calls.length).toBe(callsAfterFirst);
      expect(parents()).toHaveLength(1);
    });

    it('after a crash between chat.postMessage and the ledger update, the next run finds the post by its metadata', async () => {
      // The crashed process: it claimed, posted (with metadata) and died before writing anything else.
      await claimDigestRun(store, KEY, NOW);
      await deps.client.chat.postMessage({
        channel: CHANNEL,
        text: 'Scorecard 2025-W46',
        blocks: section('Scorecard 2025-W46').blocks,
        metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { kind: 'weekly', period: '2025-W46' } },
      });
      fake.calls.length = 0;

      now = new Date(NOW.getTime() + 11 * 60_000); // the claim is stale after 10 minutes
      const result = await postDigest(deps, job(2, figures({ dials: ['118', 'yellow'] })));
      expect(result.outcome).toBe('recovered');
      expect(parents()).toHaveLength(1);
      expect(result.ts).toBe(parents()[0]!.ts);
      expect(fake.callsTo('conversations.history')[0]!.body).toMatchObject({
        channel: CHANNEL,
        include_all_metadata: 'true',
        limit: '100',
      });
      // The missing continuation is posted into the recovered thread; the parent is never posted again.
      expect(fake.callsTo('chat.postMessage').map((c) => c.body.thread_ts)).toEqual([result.ts]);
      expect(await getDigestRun(store, KEY)).toMatchObject({ status: 'posted', message_ts: result.ts, attempts: 2 });
      expect((await postDigest(deps, job(2, figures({ dials: ['118', 'yellow'] })))).outcome).toBe('unchanged');
    });

    it('a crash after the parent ts was saved adopts it without searching history and completes the thread', async () => {
      const { run } = await claimDigestRun(store, KEY, NOW);
      const posted = await deps.client.chat.postMessage({ channel: CHANNEL, ...section('Scorecard 2025-W46') });
      await setDigestMessageTs(store, run.id, posted.ts!, NOW);
      fake.calls.length = 0;

      now = new Date(NOW.getTime() + 11 * 60_000);
      const result = await postDigest(deps, job(3, figures({ dials: ['118', 'yellow'] })));
      expect(result).toMatchObject({ outcome: 'recovered', ts: posted.ts });
      expect(fake.callsTo('conversations.history')).toHaveLength(0);
      expect(parents()).toHaveLength(1);
      expect(replies(posted.ts!)).toHaveLength(2);
    });

    it('does nothing while another process holds a fresh claim, and says who holds it', async () => {
      await claimDigestRun(store, KEY, NOW);
      const result = await postDigest(deps, job(1, figures({})));
      expect(result).toEqual({ outcome: 'in_progress', ts: '', changes: [], heldBy: { owner: null, leaseUntil: null } });
      expect(fake.calls).toHaveLength(0);
    });

    it('a failed post is recorded and the retry posts exactly once', async () => {
      fake.failNext('chat.postMessage', 10);
      await expect(postDigest(deps, job(1, figures({})))).rejects.toThrow();
      const failed = await getDigestRun(store, KEY);
      expect(failed).toMatchObject({ status: 'failed', message_ts: null });
      expect(failed!.error).not.toContain('http');

      fake.reset();
      const result = await postDigest(deps, job(1, figures({})));
      expect(result.outcome).toBe('posted');
      expect(fake.callsTo('conversations.history')).toHaveLength(1);
      expect(parents()).toHaveLength(1);
    });

    it('a 429 on chat.postMessage is retried after Retry-After and posts exactly one message', async () => {
      fake.rateLimitNext('chat.postMessage', 1, 0);
      const result = await postDigest(deps, job(1, figures({})));
      expect(result.outcome).toBe('posted');
      expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
      expect(parents()).toHaveLength(1);
    });

    it('spaces messages to one channel at least a second apart (injected clock)', async () => {
      await postDigest(deps, job(3, figures({})));
      expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
      expect(clock.sleeps).toEqual([1000, 1000]);
    });
  });

  describe('ChannelPacer', () => {
    it('starts sends to one channel at least a second apart, other channels independently, and survives a failure', async () => {
      const pacer = new ChannelPacer(clock);
      const started: [string, number][] = [];
      const send = (channel: string, fail = false) =>
        pacer.run(channel, async () => {
          started.push([channel, clock.now()]);
          if (fail) throw new Error('boom');
          return channel;
        });
      const results = await Promise.allSettled([send('C1'), send('C1', true), send('C2'), send('C1')]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const c1 = started.filter(([c]) => c === 'C1').map(([, t]) => t);
      expect(c1).toHaveLength(3);
      for (let i = 1; i < c1.length; i++) expect(c1[i]! - c1[i - 1]!).toBeGreaterThanOrEqual(1000);
      expect(started.filter(([c]) => c === 'C2')).toHaveLength(1);
    });
  });

  describe('postDigest: update in place', () => {
    it('updates the parent and parts, deletes parts no longer needed, and posts one reply listing the changes', async () => {
      const first = await postDigest(deps, job(3, figures({ dials: ['118', 'yellow'], mrr: ['$400', 'red'] })));
      const [part2, part3] = replies(first.ts).map((m) => m.ts);
      const second = await postDigest(deps, job(2, figures({ dials: ['126', 'green'], mrr: ['$400', 'red'] })));

      expect(second).toEqual({ outcome: 'updated', ts: first.ts, changes: ['Dials 118 → 126, 🟡 → 🟢'] });
      expect(fake.callsTo('chat.update').map((c) => c.body.ts)).toEqual([first.ts, part2]);
      expect(fake.callsTo('chat.delete').map((c) => c.body.ts)).toEqual([part3]);
      expect(parents()).toHaveLength(1);
      const notes = replies(first.ts).filter((m) => !m.metadata);
      expect(notes).toHaveLength(1);
      expect(JSON.stringify(notes[0]!.blocks)).toContain('Dials 118 → 126, 🟡 → 🟢');
      expect(JSON.parse((await getDigestRun(store, KEY))!.snapshot!).parts).toEqual([part2]);
    });

    it('a late manual entry changes the posted weekly scorecard: chat.update on the same ts and one "… → …" reply', async () => {
      const config = configSchema.parse({
        org: { name: 'Test Co', timezone: 'America/Chicago' },
        slack: { channels: { weekly: CHANNEL } },
        groups: [{ id: 'sales', name: 'Inside Sales', metrics: ['dials'] }],
        metrics: {
          dials: {
            name: 'Dials',
            unit: 'count',
            aggregate: 'sum',
            goal: { op: '>=', value: 125 },
            source: 'manual',
            owner: 'U0DANA001',
            definition: 'Outbound calls.',
            why: 'Activity.',
            calculation: 'Count.',
          },
        },
      });
      const rt: Runtime = {
        config,
        configPath: 'scorecard.yml',
        env: loadEnv({}),
        rawEnv: {},
        store,
        logger: silent,
        now: () => now,
        evalContext: (at) => ({ config, now: at ?? now, periods: periodSettings(config), isConnected: () => true }),
        close: async () => undefined,
      };
      const entry = { metricId: 'dials', userId: 'U0DANA001', enteredBy: 'U0DANA001' };
      await addManualEntry(store, { ...entry, day: '2025-11-12', value: 118 }, NOW);
      const posted = await postDigest(deps, buildDigestJob(rt, 'weekly', '2025-W46', CHANNEL));
      expect(posted.outcome).toBe('posted');

      now = new Date(NOW.getTime() + 3 * 3_600_000);
      await addManualEntry(store, { ...entry, day: '2025-11-14', value: 8 }, now);
      const updated = await postDigest(deps, buildDigestJob(rt, 'weekly', '2025-W46', CHANNEL));
      expect(updated).toEqual({ outcome: 'updated', ts: posted.ts, changes: ['Dials 118 → 126, 🟡 → 🟢'] });
      expect(fake.callsTo('chat.update').map((c) => c.body.ts)).toEqual([posted.ts]);
      expect(JSON.stringify(parents()[0]!.blocks)).toContain('"126"');
      expect(replies(posted.ts)).toHaveLength(1);
      expect(replies(posted.ts)[0]!.text).toContain('Dials 118 → 126, 🟡 → 🟢');
    });
  });

  describe('scorecard digest weekly --post', () => {
    const YAML = `org: { name: Test Co, timezone: America/Chicago }
slack: { channels: { weekly: ${CHANNEL} } }
groups: [{ id: sales, name: Sales, metrics: [dials] }]
metrics:
  dials: { name: Dials, unit: count, aggregate: sum, goal: { op: ">=", value: 125 }, source: manual,
           definition: Calls., why: Activity., calculation: Count. }
`;
    let dbPath: string;
    let rt: Runtime;
    beforeEach(async () => {
      dbPath = tempDbPath();
      const configPath = join(dirname(dbPath), 'scorecard.yml');
      writeFileSync(configPath, YAML);
      rt = await openRuntime({
        configPath,
        databaseUrl: `sqlite:${dbPath}`,
        now: NOW,
        logger: silent,
        env: { SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: fake.url },
      });
    });
    afterEach(async () => {
      await rt.close();
      removeTempDb(dbPath);
    });

    it('run twice: one message, then "unchanged", with the ts printed', async () => {
      const lines: string[] = [];
      const io = { pacer: new ChannelPacer(clock), out: (line: string) => lines.push(line) };
      const first = await postDigestCommand(rt, 'weekly', {}, io);
      const second = await postDigestCommand(rt, 'weekly', {}, io);
      expect([first.outcome, second.outcome]).toEqual(['posted', 'unchanged']);
      expect(parents()).toHaveLength(1);
      expect(lines).toEqual([
        `weekly 2025-W46 → ${CHANNEL}: posted (ts ${first.ts})`,
        `weekly 2025-W46 → ${CHANNEL}: unchanged (ts ${first.ts})`,
      ]);
    });

    it('needs SLACK_BOT_TOKEN and a channel, and says so', async () => {
      const noToken = { ...rt, env: { ...rt.env, SLACK_BOT_TOKEN: undefined } };
      await expect(postDigestCommand(noToken, 'weekly', {})).rejects.toThrow(/SLACK_BOT_TOKEN/);
      await expect(postDigestCommand(rt, 'cash', {}, { client: {} as WebClient })).rejects.toThrow(/slack\.channels\.cash/);
      await expect(postDigestCommand(rt, 'monthly', {})).rejects.toBeInstanceOf(UsageError);
      expect(fake.calls).toHaveLength(0);
    });
  });
});
