import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnswerCache, dataVersionOf } from '../../src/bot/answer/cache.js';
import { createEntryWriter, createMetricAnswerer, createScorecardRenderer } from '../../src/bot/answer/answerer.js';
import type { EntryRequest } from '../../src/bot/answer/types.js';
import { renderScorecardFor } from '../../src/bot/answer/scorecard-render.js';
import { createBotDeps } from '../../src/bot/create-deps.js';
import { metricAnswer } from '../../src/report/queries.js';
import type { MetricAnswer } from '../../src/report/metric-answer.js';
import { metricById } from '../../src/metrics/catalog.js';
import { parseWeekLabel } from '../../src/metrics/periods.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { openStore, type Store } from '../../src/store/db.js';
import { addManualEntry } from '../../src/store/manual-entries.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { removeTempDb, tempDbPath } from '../helpers/tmp-store.js';
import { blockText, CONFIG_PATH, NOW } from './harness.js';

let fake: FakeSlack;
let runtime: Runtime;
let reader: Store;
let dbPath: string;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  fake = await startFakeSlack();
  dbPath = tempDbPath();
  runtime = await openRuntime({
    configPath: CONFIG_PATH,
    databaseUrl: `sqlite:${dbPath}`,
    env: { LOG_LEVEL: 'silent' },
    now: NOW,
    logger: pino({ level: 'silent' }),
  });
  // A second connection to the same file, as the answer thread has.
  reader = await openStore(`sqlite:${dbPath}`);
});
afterEach(() => {
  fake.reset();
  nock.cleanAll();
});
afterAll(async () => {
  await reader.close();
  await runtime.close();
  await fake.close();
  removeTempDb(dbPath);
  nock.enableNetConnect();
});

const logCoi = (value: number, key: string) =>
  addManualEntry(
    runtime.store,
    { metricId: 'coi_meetings', day: '2026-11-17', value, userId: 'W111', enteredBy: 'W111', idempotencyKey: key },
    NOW,
  );

describe('AnswerCache (the answer thread’s memo)', () => {
  const stub = (n: number) => Promise.resolve({ value: n } as unknown as MetricAnswer);
  const key = { metric: 'coi_meetings', week: '2026-W47', explicit: true, now: NOW };

  it('reuses an answer until another connection commits, or the minute turns', async () => {
    const cache = new AnswerCache(runtime.config, dataVersionOf(reader));
    let reads = 0;
    const read = () => stub(++reads);
    expect((await cache.answer(key, read)).value).toBe(1);
    expect((await cache.answer(key, read)).value).toBe(1);
    await logCoi(1, 'cache-test-1');
    expect((await cache.answer(key, read)).value).toBe(2);
    expect((await cache.answer({ ...key, now: new Date(NOW.getTime() + 60_000) }, read)).value).toBe(3);
    expect((await cache.answer({ ...key, week: '2026-W46' }, read)).value).toBe(4);
  });

  it('does not remember a failed read', async () => {
    const cache = new AnswerCache(runtime.config, dataVersionOf(reader));
    await expect(cache.answer(key, () => Promise.reject(new Error('disk on fire')))).rejects.toThrow('disk on fire');
    expect((await cache.answer(key, () => stub(7))).value).toBe(7);
  });

  it('memoises metric lookups by query', () => {
    const cache = new AnswerCache(runtime.config, dataVersionOf(reader));
    expect(cache.findMetric('COI').match?.id).toBe('coi_meetings');
    expect(cache.findMetric(' coi ')).toBe(cache.findMetric('coi'));
  });
});

const compiledWorker = fileURLToPath(new URL('../../dist/src/bot/answer/worker.js', import.meta.url));

// The worker runs compiled JavaScript: `npm test` builds dist/ first; a bare `vitest run` without a build skips this.
describe.runIf(existsSync(compiledWorker))('the /metric answer thread (compiled)', () => {
  it('answers on its own connection, and sees an entry committed on the main connection right away', async () => {
    const deps = createBotDeps(runtime, () => NOW);
    const answerer = await createMetricAnswerer(deps, { workerFile: compiledWorker });
    try {
      expect(answerer.where).toBe('worker');
      const ask = async () => {
        const responseUrl = fake.responseUrl();
        await answerer.answer({ text: 'coi 2026-W47', userId: 'W111', channelId: 'C111', responseUrl, nowIso: NOW.toISOString() });
        return blockText(fake.responses.find((r) => r.url === responseUrl)!.body);
      };
      const expected = async () => {
        const ctx = runtime.evalContext(NOW);
        return metricAnswer(
          runtime.store,
          ctx,
          metricById(runtime.config, 'coi_meetings')!,
          parseWeekLabel('2026-W47', ctx.periods)!,
          true,
        );
      };
      const before = await expected();
      expect(await ask()).toContain(`*${before.value_text}*`);
      await logCoi(5, 'worker-test-1');
      const after = await expected();
      expect(after.value).toBe((before.value ?? 0) + 5);
      expect(await ask()).toContain(`*${after.value_text}*`);
    } finally {
      await answerer.close();
    }
  });

  it('renders a whole scorecard on a thread of its own, the same messages as on the main thread', async () => {
    const deps = createBotDeps(runtime, () => NOW);
    const renderer = await createScorecardRenderer(deps, { workerFile: compiledWorker });
    try {
      expect(renderer.where).toBe('worker');
      const request = { text: '2026-W46', userId: 'W111', channelId: 'C111', nowIso: NOW.toISOString() };
      const messages = await renderer.render(request);
      expect(messages.length).toBeGreaterThan(0);
      expect(messages).toEqual(await renderScorecardFor(deps, request));
    } finally {
      await renderer.close();
    }
  });

  it('stores /log submissions on a thread of its own: once per view, errors beside their fields, touched days back on the main thread', async () => {
    const deps = createBotDeps(runtime, () => NOW);
    const touched: string[][] = [];
    deps.entriesChanged = (days) => touched.push(days);
    const writer = await createEntryWriter(deps, { workerFile: compiledWorker });
    const submission = (viewId: string, value: string): EntryRequest => ({
      userId: 'W111',
      viewId,
      mode: { kind: 'new' },
      state: { metricId: 'coi_meetings', day: '2026-11-16', value, note: 'from the entry thread', onBehalfOf: undefined },
      inputBlockIds: ['metric', 'date', 'value', 'note'],
      nowIso: NOW.toISOString(),
    });
    const rowsOf = (viewId: string) =>
      runtime.store.db.selectFrom('manual_entries').selectAll().where('idempotency_key', '=', viewId).execute();
    try {
      expect(writer.where).toBe('worker');
      const saved = await writer.submit(submission('V-THREAD-1', '4'));
      expect(saved).toMatchObject({ ok: true, created: true, entry: { metricId: 'coi_meetings', day: '2026-11-16', value: 4 } });
      expect(touched).toEqual([['2026-11-16']]);
      // Written on the thread's own connection, committed before the reply: the main connection reads it at once.
      expect((await rowsOf('V-THREAD-1')).map((row) => [row.value, row.note])).toEqual([[4, 'from the entry thread']]);

      // Slack resubmitting the same view stores nothing new.
      expect(await writer.submit(submission('V-THREAD-1', '4'))).toMatchObject({ ok: true, created: false });
      expect(await rowsOf('V-THREAD-1')).toHaveLength(1);

      const refused = await writer.submit(submission('V-THREAD-2', '0x10'));
      expect(refused.ok).toBe(false);
      expect(Object.keys((refused as { errors: Record<string, string> }).errors)).toEqual(['value']);
      expect(await rowsOf('V-THREAD-2')).toHaveLength(0);
    } finally {
      await writer.close();
    }
  });
});
