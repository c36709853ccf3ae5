import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { postSigned, slashCommandBody } from '../helpers/slack-requests.js';
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
 * Two real `scorecard start` replicas on one Postgres database and one fake Slack: both serve Slack, one runs the
 * scheduler. The cash digest's 08:30 fire was missed (it is 09:00), so the leader's start-up catch-up posts it; the
 * leader is killed with SIGKILL while that post is in flight (a proxy holds Slack's answer back), the follower takes
 * the lock within the poll, and its own catch-up finds the period claimed: one top-level message in all.
 */

const SECRET = 'replicas-signing-secret-0123456789';
const NOW = '2026-11-18T15:00:00Z';
const CASH = 'C0CASH0001';
/** How long the proxy holds back chat.postMessage answers: the window in which the leader is killed. */
const HOLD_MS = 8_000;

/** Forwards to the fake Slack; answers chat.postMessage only after HOLD_MS (the fake has recorded it already). */
function holdingProxy(fake: FakeSlack): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const upstream = await fetch(`${fake.origin}${req.url}`, {
          method: req.method ?? 'POST',
          headers: { 'content-type': String(req.headers['content-type'] ?? ''), authorization: String(req.headers.authorization ?? '') },
          ...(req.method === 'GET' ? {} : { body: Buffer.concat(chunks) }),
        });
        const text = await upstream.text();
        if (req.url?.includes('chat.postMessage')) await new Promise((r) => setTimeout(r, HOLD_MS));
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
      } catch {
        res.writeHead(502).end();
      }
    });
  });
}

describe.skipIf(!storeKinds().includes('postgres'))('two scorecard start replicas on one Postgres', () => {
  let dir: string;
  let fake: FakeSlack;
  let proxy: Server;
  let database: Awaited<ReturnType<typeof tempDatabaseUrl>>;
  let env: Record<string, string>;
  const replicas: Replica[] = [];

  const start = async (name: string): Promise<Replica> => {
    const replica = await startReplica(name, dir, env);
    replicas.push(replica);
    return replica;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scorecard-replicas-'));
    fake = await startFakeSlack({ firstTs: Date.parse(NOW) / 1000 });
    proxy = holdingProxy(fake);
    const proxyPort = await listen(proxy);
    database = await tempDatabaseUrl('postgres');
    env = {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: database.url,
      SCORECARD_CONFIG: EXAMPLE_CONFIG,
      SCORECARD_NOW: NOW,
      SCORECARD_LEADER_POLL_MS: '250',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-0000-replicas',
      SLACK_API_URL: `http://127.0.0.1:${proxyPort}/api/`,
      LOG_LEVEL: 'info',
    };
    // The demo's sample history, seeded into the Postgres database, so the digests have figures.
    const seeded = spawnSync(process.execPath, [SCORECARD_BIN, 'demo'], { cwd: dir, env, encoding: 'utf8' });
    expect(seeded.stderr).toBe('');
    expect(seeded.status).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await stopReplicas(replicas);
    await new Promise((resolve) => proxy?.close(resolve));
    await fake?.close();
    await database?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('posts the missed cash digest once, and after kill -9 of the leader mid-post the follower leads and posts nothing twice', async () => {
    const a = await start('a');
    const b = await start('b');
    // Exactly one leader; both answer Slack.
    const [leader, [follower]] = await oneLeader([a, b]);
    for (const replica of [a, b]) {
      const ack = await postSigned(
        `http://127.0.0.1:${replica.port}/slack/events`,
        slashCommandBody({ command: '/metric', text: 'cash', user_id: 'U0CFO00001', channel_id: CASH, response_url: fake.responseUrl() }),
        { secret: SECRET },
      );
      expect(ack.status).toBe(200);
    }

    const topLevel = () => fake.callsTo('chat.postMessage').filter((c) => c.body.channel === CASH && !c.body.thread_ts);
    // The leader's catch-up has sent the cash digest; Slack's answer is still held by the proxy: kill it now.
    await waitFor('the leader to send the cash digest', () => (topLevel().length > 0 ? true : undefined));
    await killNow(leader);

    await waitFor('the follower to become leader', async () => ((await health(follower!))?.leader ? true : undefined), 30_000);
    const metrics = await (await fetch(`http://127.0.0.1:${follower!.port}/metrics`)).text();
    expect(metrics).toMatch(/^scorecard_leader 1$/m);
    // Its start-up catch-up takes over the dead leader's claim (its owner process is gone) and finds the message the
    // leader sent through its metadata, so it completes the period without posting it again.
    await waitFor('the follower to catch up', () => (follower!.log.includes('catch-up of missed digests done') ? true : undefined));
    expect(follower!.log).toContain('this replica is the leader');
    expect(topLevel()).toHaveLength(1);
    expect(follower!.log).not.toMatch(/"level":(50|60)/);
  }, 180_000);
});
