import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { loadEnv } from '../../src/config/env.js';
import { parseWeekLabel } from '../../src/metrics/periods.js';
import type { Store } from '../../src/store/db.js';
import { addManualEntry } from '../../src/store/manual-entries.js';
import { getSyncState } from '../../src/store/sync-state.js';
import { createSlackClient } from '../../src/slack/client.js';
import { ChannelPacer, type PacerClock } from '../../src/slack/pacing.js';
import { nudgeKey, sendNudges, type NudgeDeps } from '../../src/jobs/nudges.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { assertSlackLimits } from '../../src/slack/limits.js';
import type { Runtime } from '../../src/runtime.js';
import { startFakeSlack, type FakeSlack, type FakeSlackMessage } from '../helpers/fake-slack.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';
import { periodSettings } from '../../src/metrics/context.js';

const TZ = 'America/Chicago';
const silent = pino({ level: 'silent' });
const explain = { definition: 'What it counts.', why: 'Why it matters.', calculation: 'How it is computed.' };
const manual = (name: string, owner: string) => ({
  name,
  unit: 'count',
  aggregate: 'sum',
  goal: { op: '>=', value: 1 },
  source: 'manual',
  owner,
  ...explain,
});

const config = configSchema.parse({
  org: { name: 'Test Co', timezone: TZ },
  slack: { users: { 'Owner@Example.com': 'W111' } },
  groups: [{ id: 'sales', name: 'Outside Sales', metrics: ['coi_meetings', 'events', 'referrals', 'intros', 'ftas', 'mrr'] }],
  metrics: {
    coi_meetings: manual('COI meetings attended', 'U0DANA001'),
    events: manual('Networking events', 'U0DANA001'),
    referrals: manual('Referrals', 'omar@example.com'),
    intros: manual('Intros', 'owner@example.com'),
    ftas: manual('FTAs attended', 'nobody@example.com'),
    // Fed by a source: owners are not nudged for it, even with manual entries allowed.
    mrr: { name: 'MRR closed', unit: 'currency', aggregate: 'sum', source: 'sample', manual: true, owner: 'U0DANA001', ...explain },
  },
});
const periods = periodSettings(config);
const WEEK = parseWeekLabel('2025-W46', periods)!;
const MONDAY_SLOT = new Date('2025-11-17T13:00:00Z'); // Monday 07:00 in Chicago
const noWaitClock = (): PacerClock => {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
};

type Button = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (message: FakeSlackMessage) =>
  (message.blocks ?? []).flatMap((b) => ((b as { accessory?: Button }).accessory ? [(b as { accessory: Button }).accessory] : []));

let fake: FakeSlack;
describe.each(storeKinds())('nudges (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  let now: Date;
  let deps: NudgeDeps;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    fake = await startFakeSlack();
  });
  beforeEach(async () => {
    store = temp.store;
    now = MONDAY_SLOT;
    const client = createSlackClient({ token: 'xoxb-test', apiUrl: fake.url, retryConfig: { retries: 0 } });
    deps = { store, client, config, logger: silent, now: () => now, pacer: new ChannelPacer(noWaitClock()) };
    await addManualEntry(store, { metricId: 'intros', day: '2025-11-13', value: 2, userId: 'W111', enteredBy: 'W111' }, now);
  });
  afterEach(async () => {
    fake.reset();
    nock.cleanAll();
  });
  afterAll(async () => {
    await fake.close();
    nock.enableNetConnect();
  });

  const dmsTo = (user: string) => {
    const call = fake.callsTo('conversations.open').find((c) => c.body.users === user && c.response.ok);
    return call ? fake.messages((call.response.channel as { id: string }).id) : [];
  };

  describe('nudges before the weekly post', () => {
    it('DMs only owners with missing numbers, with a pre-filled Log now per missing metric', async () => {
      expect(await sendNudges(deps, MONDAY_SLOT, WEEK)).toEqual({ sent: 2, skipped: 1 });

      const [dana] = dmsTo('U0DANA001');
      assertSlackLimits(dana!);
      expect(dana!.text).toBe('Numbers missing for 2025-W46: COI meetings attended, Networking events');
      expect(JSON.stringify(dana!.blocks)).toContain('*2025-W46* (Mon 10 Nov – Sun 16 Nov 2025)');
      expect(buttonsOf(dana!).map((b) => [b.action_id, b.text.text, JSON.parse(b.value)])).toEqual([
        ['log_now:coi_meetings', 'Log now', { metric: 'coi_meetings', week: '2025-W46' }],
        ['log_now:events', 'Log now', { metric: 'events', week: '2025-W46' }],
      ]);
      // Emails resolve through users.lookupByEmail, or slack.users first (no lookup for owner@, whose numbers are in anyway).
      expect(dmsTo('U0OMAR001').map((m) => buttonsOf(m).map((b) => b.action_id))).toEqual([['log_now:referrals']]);
      expect(dmsTo('W111')).toEqual([]);
      expect(
        fake
          .callsTo('users.lookupByEmail')
          .map((c) => c.body.email)
          .sort(),
      ).toEqual(['nobody@example.com', 'omar@example.com']);
      expect(JSON.parse((await getSyncState(store, nudgeKey(MONDAY_SLOT, 'U0DANA001')))!)).toMatchObject({
        state: 'sent',
        metrics: ['coi_meetings', 'events'],
      });
    });

    it('sends at most one nudge per owner per slot; a later slot nudges only those still missing numbers', async () => {
      await sendNudges(deps, MONDAY_SLOT, WEEK);
      expect(await sendNudges(deps, MONDAY_SLOT, WEEK)).toEqual({ sent: 0, skipped: 3 });
      expect(fake.callsTo('chat.postMessage')).toHaveLength(2);

      for (const metricId of ['coi_meetings', 'events']) {
        await addManualEntry(store, { metricId, day: '2025-11-14', value: 1, userId: 'U0DANA001', enteredBy: 'U0DANA001' }, now);
      }
      const laterSlot = new Date(MONDAY_SLOT.getTime() + 3_600_000);
      expect(await sendNudges(deps, laterSlot, WEEK)).toEqual({ sent: 1, skipped: 1 });
      expect(dmsTo('U0DANA001')).toHaveLength(1);
      expect(dmsTo('U0OMAR001')).toHaveLength(2);
    });

    it('a failed DM is recorded and retried within the same slot', async () => {
      fake.failNext('conversations.open', 1);
      const first = await sendNudges(deps, MONDAY_SLOT, WEEK);
      expect(first.sent).toBe(1);
      const stateOf = async (owner: string) => JSON.parse((await getSyncState(store, nudgeKey(MONDAY_SLOT, owner)))!).state;
      expect([await stateOf('U0DANA001'), await stateOf('omar@example.com')]).toEqual(['failed', 'sent']);
      expect(await sendNudges(deps, MONDAY_SLOT, WEEK)).toEqual({ sent: 1, skipped: 2 });
      expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
    });

    it('resolves email owners once: a later slot reads them from the store, with no lookup', async () => {
      await sendNudges(deps, MONDAY_SLOT, WEEK);
      // omar@example.com and nobody@example.com are looked up; owner@example.com is in slack.users.
      expect(
        fake
          .callsTo('users.lookupByEmail')
          .map((c) => c.body.email)
          .sort(),
      ).toEqual(['nobody@example.com', 'omar@example.com']);
      fake.reset();
      now = new Date('2025-11-17T15:00:00Z');
      await sendNudges(deps, now, WEEK);
      expect(fake.callsTo('users.lookupByEmail')).toHaveLength(0);
    });

    it('the Friday slot of the scheduler chases the current week', async () => {
      now = new Date('2025-11-21T21:00:00Z'); // Friday 15:00
      const runtime: Runtime = {
        config,
        configPath: 'scorecard.yml',
        env: loadEnv({}),
        rawEnv: {},
        store,
        logger: silent,
        now: () => now,
        evalContext: (when) => ({ config, now: when ?? now, periods, isConnected: () => true }),
        close: async () => undefined,
      };
      const scheduler = startScheduler({ runtime, client: deps.client, pacer: deps.pacer, schedule: () => ({ stop: () => undefined }) });
      try {
        await scheduler.caughtUp;
        await scheduler.runNow('nudges');
      } finally {
        await scheduler.stop();
      }
      const [dm] = dmsTo('U0DANA001');
      expect(dm!.text).toContain('2025-W47');
      // The intros entry was for last week: this week its owner is nudged too.
      expect(dmsTo('W111')).toHaveLength(1);
      expect(await getSyncState(store, nudgeKey(now, 'U0DANA001'))).toContain('"sent"');
    });
  });
});
