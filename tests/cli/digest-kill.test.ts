import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { openRuntime } from '../../src/runtime.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { createSlackClient } from '../../src/slack/client.js';
import { ChannelPacer } from '../../src/slack/pacing.js';
import { getDigestRun } from '../../src/store/digest-runs.js';
import { DIGEST_EVENT_TYPE, DIGEST_PART_EVENT_TYPE } from '../../src/slack/digest-job.js';
import { startFakeSlack, type FakeSlack, type FakeSlackHold } from '../helpers/fake-slack.js';

/**
 * kill -9 at every step of a multi-part `digest weekly --post`: the real built CLI against the fake Slack, which holds
 * one call so the kill lands exactly there (no sleeps). Then one more run, or one scheduler sweep, must leave exactly
 * one complete digest: the parent once, and each thread part once.
 *
 * SQLite only for now: every kill step starts from a copy of the demo file (a Postgres run needs a template-database copy
 * per step). The Postgres side of a kill -9 mid-post is covered by tests/cli/replicas*.test.ts.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist/src/cli/main.cjs');
const CONFIG = join(root, 'scorecard.example.yml');
const NOW = '2026-11-16T08:00:00-06:00';
const PERIOD = '2026-W46';
const CHANNEL = 'C0WEEKLY01';
const TOKEN = 'xoxb-0000-kill-test';

let dir: string;
let demoDb: string;
let fake: FakeSlack;
let partsPerDigest: number;

const envFor = (db: string) => ({
  PATH: process.env.PATH ?? '',
  LOG_LEVEL: 'warn',
  DATABASE_URL: `sqlite:${db}`,
  SCORECARD_CONFIG: CONFIG,
  SCORECARD_NOW: NOW,
  SLACK_BOT_TOKEN: TOKEN,
  SLACK_API_URL: fake.url,
});

function freshDb(name: string): string {
  const db = join(dir, `${name}.db`);
  copyFileSync(demoDb, db);
  return db;
}

/** `scorecard digest weekly --post`; with `hold`, killed with SIGKILL the moment the fake holds that call. */
function post(db: string, hold?: FakeSlackHold): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'digest', 'weekly', '--post', '--period', PERIOD], { cwd: dir, env: envFor(db) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code, signal) => {
      hold?.release();
      resolve({ code, signal, stdout, stderr });
    });
    void hold?.reached.then(() => child.kill('SIGKILL'));
  });
}

/** The digest as Slack holds it: top-level messages for the period, and each thread part number, as posted. */
function digestInSlack() {
  const messages = fake.messages(CHANNEL);
  const parents = messages.filter((m) => !m.thread_ts && m.metadata?.event_type === DIGEST_EVENT_TYPE);
  const parts = messages
    .filter((m) => m.thread_ts && m.thread_ts === parents[0]?.ts && m.metadata?.event_type === DIGEST_PART_EVENT_TYPE)
    .map((m) => Number(m.metadata?.event_payload.part))
    .sort((a, b) => a - b);
  return { parents: parents.length, parts, strays: messages.filter((m) => m.thread_ts && m.thread_ts !== parents[0]?.ts).length };
}

const complete = () => ({ parents: 1, parts: Array.from({ length: partsPerDigest - 1 }, (_, i) => i + 2), strays: 0 });

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run "npm run build" (npm test does it first)`);
  dir = mkdtempSync(join(tmpdir(), 'scorecard-kill-'));
  demoDb = join(dir, 'demo.db');
  const demo = spawnSync(process.execPath, [bin, '--now', NOW, '--database', `sqlite:${demoDb}`, 'demo'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', SCORECARD_CONFIG: CONFIG },
  });
  expect(demo.status).toBe(0);
  // Message ts values in the pinned week, as Slack would stamp them, so the history search can find a lost parent.
  fake = await startFakeSlack({ token: TOKEN, firstTs: Date.parse(NOW) / 1000 });

  // A clean run says how many messages one digest is; the test needs a thread to kill in the middle of.
  const reference = await post(freshDb('reference'));
  expect(reference.code).toBe(0);
  partsPerDigest = fake.callsTo('chat.postMessage').length;
  expect(partsPerDigest).toBeGreaterThanOrEqual(2);
  expect(digestInSlack()).toEqual(complete());
  fake.reset();
}, 120_000);

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 during digest weekly --post', () => {
  it('at every step (before the parent, after the parent, after each part, before the ledger write) the next run completes it', async () => {
    // Step k holds the k-th chat.postMessage; `before` = not yet posted, `after` = posted, its ts never learned.
    const steps: { nth: number; phase: 'before' | 'after' }[] = [{ nth: 1, phase: 'before' }];
    for (let nth = 1; nth <= partsPerDigest; nth++) steps.push({ nth, phase: 'after' });

    for (const [i, step] of steps.entries()) {
      fake.reset();
      const db = freshDb(`step-${i}`);
      const killed = await post(db, fake.hold('chat.postMessage', step.nth, step.phase));
      expect(killed.signal, `step ${JSON.stringify(step)}`).toBe('SIGKILL');
      expect(digestInSlack().parents).toBe(step.nth === 1 && step.phase === 'before' ? 0 : 1);

      const rerun = await post(db);
      // A warning says the ledger was recovered; nothing at error level.
      expect(rerun.stderr, `step ${JSON.stringify(step)}`).not.toMatch(/"level":(50|60)/);
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toMatch(/: (posted|recovered) \(ts /);
      expect(digestInSlack(), `step ${JSON.stringify(step)}`).toEqual(complete());
      expect(await runStatus(db)).toMatchObject({ status: 'posted', attempts: 2 });

      // And a third run finds it complete: nothing more is sent.
      const before = fake.callsTo('chat.postMessage').length;
      const again = await post(db);
      expect(again.stdout).toMatch(/: unchanged \(ts /);
      expect(fake.callsTo('chat.postMessage')).toHaveLength(before);
    }
  }, 300_000);

  it('a run that finds the live owner still posting says so and exits 3', async () => {
    fake.reset();
    const db = freshDb('live-owner');
    const hold = fake.hold('chat.postMessage', 2, 'after');
    const first = post(db, undefined);
    await hold.reached;
    const second = await post(db);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/in_progress — another process is posting it/);
    expect(second.stdout).not.toMatch(/posted/);
    hold.release();
    expect((await first).code).toBe(0);
    expect(digestInSlack()).toEqual(complete());
  }, 120_000);

  it('one scheduler sweep finishes a post killed mid-thread', async () => {
    fake.reset();
    const db = freshDb('sweep');
    const killed = await post(db, fake.hold('chat.postMessage', 2, 'after'));
    expect(killed.signal).toBe('SIGKILL');
    expect(digestInSlack().parts).toEqual([2]);

    // Restarted 7 h later: past the catch-up grace (6 h), so only the sweep (run at start, then every 2 minutes) can
    // find the half-posted period.
    const later = new Date(Date.parse(NOW) + 7 * 3_600_000);
    const rt = await openRuntime({
      configPath: CONFIG,
      databaseUrl: `sqlite:${db}`,
      now: later,
      env: {},
      logger: pino({ level: 'silent' }),
    });
    try {
      const client = createSlackClient({ token: TOKEN, apiUrl: fake.url, retryConfig: { retries: 0 } });
      const pacer = new ChannelPacer({ now: () => 0, sleep: async () => undefined });
      const scheduler = startScheduler({ runtime: rt, client, pacer, schedule: () => ({ stop: () => undefined }) });
      expect((await scheduler.caughtUp).map((r) => [r.kind, r.period, r.outcome])).toEqual([['weekly', PERIOD, 'recovered']]);
      expect(digestInSlack()).toEqual(complete());
      const sent = fake.callsTo('chat.postMessage').length;
      await scheduler.runNow('sweep'); // the next sweep finds nothing left to do
      await scheduler.stop();
      expect(fake.callsTo('chat.postMessage')).toHaveLength(sent);
      expect(await getDigestRun(rt.store, { kind: 'weekly', period: PERIOD, channel: CHANNEL })).toMatchObject({ status: 'posted' });
    } finally {
      await rt.close();
    }
  }, 120_000);
});

async function runStatus(db: string) {
  const rt = await openRuntime({
    configPath: CONFIG,
    databaseUrl: `sqlite:${db}`,
    now: new Date(NOW),
    env: {},
    logger: pino({ level: 'silent' }),
  });
  try {
    return await getDigestRun(rt.store, { kind: 'weekly', period: PERIOD, channel: CHANNEL });
  } finally {
    await rt.close();
  }
}
