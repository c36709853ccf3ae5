import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { lastSourceRuns } from '../../src/store/source-health.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { storeKinds, tempDatabaseUrl } from '../helpers/tmp-store.js';
import {
  EXAMPLE_CONFIG,
  health,
  killNow,
  listen,
  oneLeader,
  SCORECARD_BIN,
  startReplica,
  stopReplicas,
  waitFor,
  type Replica,
} from '../helpers/replicas.js';

/**
 * A day of jobs on two real `scorecard start` replicas sharing one Postgres database and one fake Slack, on a clock
 * running RATE times real speed (SCORECARD_CLOCK_RATE) from Monday 05:00 to Tuesday 09:00 in Chicago, with the
 * example config's schedules: refresh 06:00, nudges Monday 07:00, weekly Monday 08:00, cash 08:30, support 08:35.
 * The leader is killed with SIGKILL while Tuesday's cash digest is in flight (a proxy holds Slack's answer); the
 * follower leads within seconds, its catch-up completes that post, and its scheduler runs the rest of the morning.
 * Every refresh runs once (one request at the SimpleFIN fake, one source run), every digest period has one
 * top-level message, every owner missing numbers gets one nudge.
 */

/** 20 simulated minutes a real second: the 28 hours take about 85 s; the 6 h catch-up grace is 18 s. */
const RATE = 1200;
/** Monday 23 Nov 2026, 05:00 in Chicago (UTC−6). */
const START = new Date('2026-11-23T11:00:00Z');
/**
 * The clock reads START until this long after the replicas are spawned (SCORECARD_CLOCK_STARTED ahead), so both are
 * up before the day begins: `scorecard start` takes about 2 s on a quiet machine, but has taken over 100 s on an
 * overloaded one; SCORECARD_TEST_START_LEAD_MS raises the lead there.
 */
const LEAD_MS = Number(process.env.SCORECARD_TEST_START_LEAD_MS) || 30_000;
/** The demo's history ends the Sunday before last, so week 2026-W47 (16–22 Nov) has no manual numbers: nudges go out. */
const DEMO_NOW = '2026-11-15T18:00:00Z';
const SECRET = 'replicas-day-signing-secret-0123456789';
const CHANNELS = { weekly: 'C0WEEKLY01', cash: 'C0CASH0001', support: 'C0SUPPORT1' };
/** The top-level post held back (and the leader killed during it): Tuesday's cash digest. */
const HELD = { channel: CHANNELS.cash, period: '2026-11-24' };
const HOLD_MS = 8_000;
/** Owners of the example's manual weekly metrics, as Slack users the fake resolves by email. */
const OWNERS = ['outside-sales@example.com', 'hybrid-sales@example.com', 'marketing@example.com'];
const SIMPLEFIN = { user: 'sfin-user-day', password: 'sfin-pass-day-0f3a' };
/** simplefin/simplefin.github.com protocol-v2.md, GET /accounts sample response (see the fixtures' _sources.json). */
const ACCOUNTS = readFileSync(new URL('../../src/integrations/simplefin/fixtures/get-accounts.v2.json', import.meta.url), 'utf8');

let realStart = Date.now();
const simNow = () => new Date(START.getTime() + Math.max(0, Date.now() - realStart) * RATE);

/** Sleeps (real time) until the running clock reads `iso`. */
async function untilSim(iso: string): Promise<void> {
  const wait = Math.max(0, realStart - Date.now()) + (Date.parse(iso) - simNow().getTime()) / RATE;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

function bodyFields(req: IncomingMessage, body: string): Record<string, unknown> {
  if (String(req.headers['content-type']).includes('json')) return JSON.parse(body || '{}') as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(body));
}

/** Forwards to the fake Slack; answers the first top-level post of HELD only after HOLD_MS (the fake has it already). */
function holdingProxy(fake: FakeSlack): Server {
  let held = false;
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const body = Buffer.concat(chunks);
        const upstream = await fetch(`${fake.origin}${req.url}`, {
          method: req.method ?? 'POST',
          headers: { 'content-type': String(req.headers['content-type'] ?? ''), authorization: String(req.headers.authorization ?? '') },
          ...(req.method === 'GET' ? {} : { body }),
        });
        const text = await upstream.text();
        const fields = req.url?.includes('chat.postMessage') ? bodyFields(req, body.toString()) : {};
        if (!held && fields.channel === HELD.channel && !fields.thread_ts && String(fields.metadata ?? '').includes(HELD.period)) {
          held = true;
          await new Promise((r) => setTimeout(r, HOLD_MS));
        }
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
      } catch {
        res.writeHead(502).end();
      }
    });
  });
}

/** SimpleFIN Bridge on loopback: GET {access url}/accounts with Basic auth, answered with the protocol's sample. */
function simplefinFake(requests: string[]): Server {
  const auth = `Basic ${Buffer.from(`${SIMPLEFIN.user}:${SIMPLEFIN.password}`).toString('base64')}`;
  return createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== auth) return void res.writeHead(403).end('Forbidden');
    if (!req.url?.startsWith('/simplefin/accounts')) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(ACCOUNTS);
  });
}

describe.skipIf(!storeKinds().includes('postgres'))('a day of jobs on two replicas sharing one Postgres', () => {
  let dir: string;
  let fake: FakeSlack;
  let proxy: Server;
  let bridge: Server;
  const bridgeRequests: string[] = [];
  let database: Awaited<ReturnType<typeof tempDatabaseUrl>>;
  let env: Record<string, string>;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scorecard-replicas-day-'));
    fake = await startFakeSlack({ clock: simNow });
    for (const [i, email] of OWNERS.entries())
      fake.addUser({ id: `U0OWNER00${i + 1}`, name: email.split('@')[0]!, real_name: email, email });
    proxy = holdingProxy(fake);
    bridge = simplefinFake(bridgeRequests);
    const [proxyPort, bridgePort] = [await listen(proxy), await listen(bridge)];
    database = await tempDatabaseUrl('postgres');
    env = {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: database.url,
      SCORECARD_CONFIG: EXAMPLE_CONFIG,
      SCORECARD_LEADER_POLL_MS: '250',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-0000-replicas-day',
      SLACK_API_URL: `http://127.0.0.1:${proxyPort}/api/`,
      SIMPLEFIN_ACCESS_URL: `http://${SIMPLEFIN.user}:${SIMPLEFIN.password}@127.0.0.1:${bridgePort}/simplefin`,
      LOG_LEVEL: 'info',
    };
    const seeded = spawnSync(process.execPath, [SCORECARD_BIN, 'demo'], {
      cwd: dir,
      env: { ...env, SCORECARD_NOW: DEMO_NOW },
      encoding: 'utf8',
    });
    expect(seeded.stderr).toBe('');
    expect(seeded.status).toBe(0);
  }, 240_000);

  afterAll(async () => {
    await stopReplicas(replicas);
    await new Promise((resolve) => proxy?.close(resolve));
    await new Promise((resolve) => bridge?.close(resolve));
    await fake?.close();
    await database?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const topLevel = (channel: string) => fake.messages(channel).filter((m) => !m.thread_ts);
  const periodsPosted = (channel: string) => topLevel(channel).map((m) => String(m.metadata?.event_payload.period));
  const nudges = () => fake.callsTo('chat.postMessage').filter((c) => String(c.body.channel).startsWith('D'));

  it('runs each refresh, digest and nudge once, across a kill -9 of the leader mid-post', async () => {
    realStart = Date.now() + LEAD_MS;
    const clock = {
      SCORECARD_NOW: START.toISOString(),
      SCORECARD_CLOCK_RATE: String(RATE),
      SCORECARD_CLOCK_STARTED: new Date(realStart).toISOString(),
    };
    replicas.push(...(await Promise.all(['a', 'b'].map((name) => startReplica(name, dir, { ...env, ...clock })))));
    const [leader, [follower]] = await oneLeader(replicas);
    expect(Date.now(), 'both replicas up before the clock starts (raise SCORECARD_TEST_START_LEAD_MS on a loaded machine)').toBeLessThan(
      realStart,
    );

    // Monday morning, on the first leader.
    await untilSim('2026-11-23T15:00:00Z');
    await waitFor('Monday’s digests', () => (periodsPosted(CHANNELS.support).length === 1 ? true : undefined));
    expect(bridgeRequests).toHaveLength(1);
    expect(periodsPosted(CHANNELS.weekly)).toEqual(['2026-W47']);
    expect(periodsPosted(CHANNELS.cash)).toEqual(['2026-11-23']);
    expect(nudges()).toHaveLength(OWNERS.length);

    // Tuesday 08:30: the leader sends the cash digest and dies before Slack's answer reaches it.
    await untilSim('2026-11-24T14:29:00Z');
    await waitFor('the leader to send Tuesday’s cash digest', () =>
      periodsPosted(CHANNELS.cash).includes(HELD.period) ? true : undefined,
    );
    await killNow(leader);
    const killedAt = Date.now();
    await waitFor('the follower to lead', async () => ((await health(follower!))?.leader ? true : undefined), 30_000);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    await waitFor('the follower to catch up', () => (follower!.log.includes('catch-up of missed digests done') ? true : undefined));

    await untilSim('2026-11-24T15:00:00Z');
    await waitFor('Tuesday’s support digest', () => (periodsPosted(CHANNELS.support).length === 2 ? true : undefined));
    // Each period exactly once, whichever replica posted it.
    expect(periodsPosted(CHANNELS.weekly)).toEqual(['2026-W47']);
    expect(periodsPosted(CHANNELS.cash)).toEqual(['2026-11-23', '2026-11-24']);
    expect(periodsPosted(CHANNELS.support)).toEqual(['2026-11-23', '2026-11-24']);
    // One nudge per owner for the Monday 07:00 slot, each to a different DM, and nothing more.
    expect(nudges()).toHaveLength(OWNERS.length);
    expect(new Set(nudges().map((c) => c.body.channel)).size).toBe(OWNERS.length);
    // Two refreshes (Monday and Tuesday 06:00): two calls at the Bridge, two recorded runs.
    expect(bridgeRequests).toHaveLength(2);
    const store = await openStore(database.url);
    try {
      const runs = (await lastSourceRuns(store, 50)).filter((run) => run.source === 'simplefin');
      expect(runs.map((run) => `${run.to_day} ${run.status}`).sort()).toEqual(['2026-11-23 ok', '2026-11-24 ok']);
    } finally {
      await store.close();
    }
    expect(follower!.log).toContain('this replica is the leader');
    expect(follower!.log).not.toMatch(/"level":(50|60)/);
  }, 400_000);
});
