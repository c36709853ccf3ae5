import cron from 'node-cron';
import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { loadEnv } from '../../src/config/env.js';
import type { Store } from '../../src/store/db.js';
import { getDigestRun } from '../../src/store/digest-runs.js';
import { addManualEntry } from '../../src/store/manual-entries.js';
import { createSlackClient } from '../../src/slack/client.js';
import { ChannelPacer, type PacerClock } from '../../src/slack/pacing.js';
import { startScheduler, type CronScheduler, type SchedulerDeps } from '../../src/jobs/scheduler.js';
import { nextFireTime, nudgeWeek, previousFireTime } from '../../src/jobs/cron-timing.js';
import type { Runtime } from '../../src/runtime.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';
import { periodSettings } from '../../src/metrics/context.js';

const TZ = 'America/Chicago';
const CHANNELS = { weekly: 'C0WEEKLY', cash: 'C0CASH', support: 'C0SUPPORT' };
const silent = pino({ level: 'silent' });
const explain = { definition: 'What it counts.', why: 'Why it matters.', calculation: 'How it is computed.' };
const at = (iso: string) => new Date(iso);

const noWaitClock = (): PacerClock => {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
};

describe('cron fire times in the org timezone', () => {
  it('finds the latest fire at or before an instant', () => {
    // Monday 17 Nov 2025 is CST (UTC−6): 08:00 local = 14:00Z.
    expect(previousFireTime('0 8 * * 1', at('2025-11-17T16:00:00Z'), TZ)).toEqual(at('2025-11-17T14:00:00Z'));
    expect(previousFireTime('0 8 * * 1', at('2025-11-17T14:00:00Z'), TZ)).toEqual(at('2025-11-17T14:00:00Z'));
    expect(previousFireTime('0 8 * * 1', at('2025-11-17T13:59:00Z'), TZ)).toEqual(at('2025-11-10T14:00:00Z'));
    expect(previousFireTime('30 8 * * 1-5', at('2025-11-15T18:00:00Z'), TZ)).toEqual(at('2025-11-14T14:30:00Z'));
    // Across the end of DST (2 Nov 2025): the Monday before was CDT, 08:00 local = 13:00Z.
    expect(previousFireTime('0 8 * * 1', at('2025-11-02T12:00:00Z'), TZ)).toEqual(at('2025-10-27T13:00:00Z'));
    expect(previousFireTime('0 8 1 * *', at('2025-11-17T16:00:00Z'), TZ)).toBeNull();
  });

  it('finds the next fire, and the week a nudge slot chases', () => {
    expect(nextFireTime('0 8 * * 1', at('2025-11-21T21:00:00Z'), TZ)).toEqual(at('2025-11-24T14:00:00Z'));
    expect(nextFireTime('0 8 * * 1', at('2025-11-17T14:00:00Z'), TZ)).toEqual(at('2025-11-24T14:00:00Z'));
    const periods = { timezone: TZ, weekStart: 'monday' as const };
    // Monday 07:00: the post an hour later reports last week. Friday 15:00: next Monday's post reports this week.
    expect(nudgeWeek('0 8 * * 1', at('2025-11-17T13:00:00Z'), periods).label).toBe('2025-W46');
    expect(nudgeWeek('0 8 * * 1', at('2025-11-21T21:00:00Z'), periods).label).toBe('2025-W47');
  });
});

describe.each(storeKinds())('scheduler (%s)', (kind) => {
  const temp = useTempStore(kind);
  let fake: FakeSlack;
  let store: Store;
  let now: Date;
  let stops: (() => Promise<void>)[];

  const config: Config = configSchema.parse({
    org: { name: 'Test Co', timezone: TZ },
    slack: { channels: CHANNELS },
    groups: [{ id: 'sales', name: 'Inside Sales', metrics: ['dials', 'cash', 'tickets'] }],
    metrics: {
      dials: {
        name: 'Dials',
        unit: 'count',
        aggregate: 'sum',
        goal: { op: '>=', value: 125 },
        source: 'manual',
        owner: 'U0DANA001',
        ...explain,
      },
      cash: { name: 'Cash position', unit: 'currency', aggregate: 'last', cadence: ['daily'], source: 'manual', ...explain },
      tickets: { name: 'Open tickets', unit: 'count', aggregate: 'last', cadence: ['daily'], source: 'manual', ...explain },
    },
    digests: { cash: ['cash'], support: ['tickets'] },
  });

  const runtime = (): Runtime => ({
    config,
    configPath: 'scorecard.yml',
    env: loadEnv({}),
    rawEnv: {},
    store,
    logger: silent,
    now: () => now,
    evalContext: (when) => ({ config, now: when ?? now, periods: periodSettings(config), isConnected: () => true }),
    close: async () => undefined,
  });

  function start(extra: Partial<SchedulerDeps> = {}) {
    const tasks: { expr: string; timezone: string; name: string; fire: () => void; stopped: boolean }[] = [];
    const schedule: CronScheduler = (expr, fire, opts) => {
      const task = {
        expr,
        ...opts,
        fire,
        stopped: false,
        stop: () => {
          task.stopped = true;
        },
      };
      tasks.push(task);
      return task;
    };
    const client = createSlackClient({ token: 'xoxb-test', apiUrl: fake.url, retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 5 } });
    const scheduler = startScheduler({ runtime: runtime(), client, schedule, pacer: new ChannelPacer(noWaitClock()), ...extra });
    stops.push(() => scheduler.stop());
    return { scheduler, tasks };
  }

  const postedIn = (channel: string) => fake.messages(channel).filter((m) => !m.thread_ts);

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    fake = await startFakeSlack();
  });
  beforeEach(async () => {
    store = temp.store;
    stops = [];
    await addManualEntry(
      store,
      { metricId: 'dials', day: '2025-11-12', value: 118, userId: 'U0DANA001', enteredBy: 'U0DANA001' },
      at('2025-11-12T20:00:00Z'),
    );
  });
  afterEach(async () => {
    for (const stop of stops) await stop();
    fake.reset();
    nock.cleanAll();
  });
  afterAll(async () => {
    await fake.close();
    nock.enableNetConnect();
  });

  it('registers refresh, the three digests and each nudge slot in the org timezone; a fire posts', async () => {
    now = at('2025-11-16T18:00:00Z'); // a Sunday: nothing to catch up
    const { scheduler, tasks } = start();
    expect(await scheduler.caughtUp).toEqual([]);
    expect(tasks.map((t) => [t.name, t.expr, t.timezone])).toEqual([
      ['refresh', '0 6 * * *', TZ],
      ['weekly', '0 8 * * 1', TZ],
      ['cash', '30 8 * * 1-5', TZ],
      ['support', '35 8 * * 1-5', TZ],
      ['nudges-1', '0 7 * * 1', TZ],
      ['nudges-2', '0 15 * * 5', TZ],
      ['digest-sweep', '*/2 * * * *', TZ],
    ]);

    now = at('2025-11-17T14:00:00Z');
    tasks.find((t) => t.name === 'weekly')!.fire();
    await scheduler.stop(); // waits for the fired job
    expect(tasks.every((t) => t.stopped)).toBe(true);
    expect(postedIn(CHANNELS.weekly)).toHaveLength(1);
    expect(await getDigestRun(store, { kind: 'weekly', period: '2025-W46', channel: CHANNELS.weekly })).toMatchObject({ status: 'posted' });
  });

  it('with node-cron itself: schedules real tasks and stop() removes them', async () => {
    now = at('2025-11-16T18:00:00Z');
    const before = cron.getTasks().size;
    const { scheduler } = start({ schedule: undefined });
    expect(cron.getTasks().size).toBe(before + 7);
    await scheduler.caughtUp;
    await scheduler.stop();
    expect(cron.getTasks().size).toBe(before);
  });

  it('catches up a Monday 08:00 run missed while down, found at 10:00 (within 6 h): posted once, not again on restart', async () => {
    now = at('2025-11-17T16:00:00Z');
    const first = start();
    expect((await first.scheduler.caughtUp).map((r) => [r.kind, r.period, r.outcome])).toEqual([
      ['weekly', '2025-W46', 'posted'],
      ['cash', '2025-11-17', 'posted'],
      ['support', '2025-11-17', 'posted'],
    ]);
    await first.scheduler.stop();

    now = at('2025-11-17T16:30:00Z');
    const second = start();
    expect(await second.scheduler.caughtUp).toEqual([]);
    for (const channel of Object.values(CHANNELS)) expect(postedIn(channel)).toHaveLength(1);
  });

  it('one digest failing during catch-up does not keep the others from catching up; the sweep after it retries it', async () => {
    now = at('2025-11-17T16:00:00Z');
    fake.failNext('chat.postMessage', 2); // the weekly post and its one retry
    const { scheduler } = start();
    const runs = await scheduler.caughtUp;
    expect(runs.map((r) => [r.kind, r.outcome])).toEqual([
      ['cash', 'posted'],
      ['support', 'posted'],
      ['weekly', 'posted'],
    ]);
    const weekly = await getDigestRun(store, { kind: 'weekly', period: '2025-W46', channel: CHANNELS.weekly });
    expect(weekly).toMatchObject({ status: 'posted', attempts: 2 });
    for (const channel of Object.values(CHANNELS)) expect(postedIn(channel)).toHaveLength(1);
  });

  it('does not catch up a run missed by more than the grace window (found at 16:00)', async () => {
    now = at('2025-11-17T22:00:00Z');
    const { scheduler } = start();
    expect(await scheduler.caughtUp).toEqual([]);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect(await getDigestRun(store, { kind: 'weekly', period: '2025-W46', channel: CHANNELS.weekly })).toBeUndefined();
  });

  it('after a refresh brings late numbers, the posted scorecard is updated in place with one change reply', async () => {
    now = at('2025-11-17T14:00:00Z');
    let refreshes = 0;
    const refresh = async () => {
      refreshes++;
      await addManualEntry(store, { metricId: 'dials', day: '2025-11-14', value: 8, userId: 'U0DANA001', enteredBy: 'U0DANA001' }, now);
    };
    const { scheduler } = start({ refresh });
    await scheduler.caughtUp;
    await scheduler.runNow('weekly');
    const [parent] = postedIn(CHANNELS.weekly);

    now = at('2025-11-17T18:00:00Z');
    await scheduler.runNow('refresh');
    expect(refreshes).toBe(1);
    expect(fake.callsTo('chat.update').map((c) => [c.body.channel, c.body.ts])).toEqual([[CHANNELS.weekly, parent!.ts]]);
    const notes = fake.messages(CHANNELS.weekly).filter((m) => m.thread_ts === parent!.ts);
    expect(notes.map((m) => m.text)).toEqual([expect.stringContaining('Dials 118 → 126, 🟡 → 🟢')]);
    expect(postedIn(CHANNELS.weekly)).toHaveLength(1);
  });

  it('after a late manual entry for an older posted week, updatePosted(day) updates that week only', async () => {
    now = at('2025-11-17T14:00:00Z');
    const { scheduler } = start();
    await scheduler.caughtUp; // posts 2025-W46
    now = at('2025-11-24T14:00:00Z');
    await scheduler.runNow('weekly'); // posts 2025-W47
    const [w46, w47] = postedIn(CHANNELS.weekly);
    fake.calls.length = 0;

    await addManualEntry(store, { metricId: 'dials', day: '2025-11-13', value: 10, userId: 'U0DANA001', enteredBy: 'U0DANA001' }, now);
    await scheduler.updatePosted('2025-11-13');
    expect(fake.callsTo('chat.update').map((c) => c.body.ts)).toEqual([w46!.ts]);
    expect(
      fake
        .messages(CHANNELS.weekly)
        .filter((m) => m.thread_ts === w46!.ts)
        .map((m) => m.text),
    ).toEqual([expect.stringContaining('Dials 118 → 128, 🟡 → 🟢')]);
    expect(w47!.ts).not.toBe(w46!.ts);
  });

  it('after a refresh corrects old days, their posted week is updated in place and the change note says why', async () => {
    now = at('2025-11-17T14:00:00Z');
    const summary = {
      from: '2025-11-18',
      to: '2025-11-24',
      ok: true,
      results: [
        {
          source: 'autotask',
          status: 'ok' as const,
          calls: 3,
          rateLimited: 0,
          valuesWritten: 40,
          durationMs: 10,
          late: { recollected: ['2025-11-13'], corrected: ['2025-11-13'], reasons: ['1 ticket reopened and closed again'] },
        },
      ],
    };
    const { scheduler } = start({
      // Stands in for a refresh whose cursor found a late change on Thursday 13 November.
      refresh: async () => {
        await addManualEntry(store, { metricId: 'dials', day: '2025-11-13', value: 10, userId: 'U0DANA001', enteredBy: 'U0DANA001' }, now);
        return summary;
      },
    });
    await scheduler.caughtUp; // posts 2025-W46
    const [w46] = postedIn(CHANNELS.weekly);
    now = at('2025-11-24T12:00:00Z');
    fake.calls.length = 0;

    await scheduler.runNow('refresh');
    expect(fake.callsTo('chat.update').map((c) => c.body.ts)).toContain(w46!.ts);
    expect(
      fake
        .messages(CHANNELS.weekly)
        .filter((m) => m.thread_ts === w46!.ts)
        .map((m) => m.text),
    ).toEqual([expect.stringContaining('Dials 118 → 128, 🟡 → 🟢 (why: 1 ticket reopened and closed again)')]);
  });

  it('posts a daily digest for the local day, and prints to the terminal when there is no Slack client', async () => {
    now = at('2025-11-18T14:30:00Z'); // Tuesday 08:30
    const { scheduler } = start();
    await scheduler.caughtUp;
    expect(await getDigestRun(store, { kind: 'cash', period: '2025-11-18', channel: CHANNELS.cash })).toMatchObject({ status: 'posted' });
    await scheduler.runNow('cash');
    expect(postedIn(CHANNELS.cash)).toHaveLength(1);

    const printed: string[] = [];
    const offline = start({ client: null, out: (text) => printed.push(text) });
    await offline.scheduler.caughtUp;
    printed.length = 0;
    await offline.scheduler.runNow('weekly');
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('Weekly scorecard 2025-W46');
  });
});
