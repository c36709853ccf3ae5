import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { interactivityBody, postSigned, slashCommandBody, viewSubmissionPayload, type Payload } from '../helpers/slack-requests.js';
import { storeKinds, tempDatabaseUrl } from '../helpers/tmp-store.js';

/**
 * The Slack acceptance, as an operator runs it: the built `scorecard start` in HTTP mode against a fake Slack Web API
 * on loopback, signed requests to /slack/events, and `scorecard digest weekly --post` run twice; on each store.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist/src/cli/main.cjs');
const SECRET = 'acceptance-signing-secret-0123456789';
const TOKEN = 'xoxb-0000-acceptance';
const NOW = '2026-11-18T15:00:00Z';
const CFO = 'U0CFO00001';

let dir: string;
let fake: FakeSlack;
let bot: ChildProcess;
let port: number;
let env: Record<string, string>;
let stderr = '';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
}

const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, encoding: 'utf8' });

/** For commands that call Slack: spawnSync would block this process, where the fake Slack answers. */
function cliAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}
const events = () => `http://127.0.0.1:${port}/slack/events`;

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Opens the /log modal as a rep and returns a function that submits it for hybrid networking events. */
async function openLogModal(): Promise<(value: string, day: string) => ReturnType<typeof postSigned>> {
  const before = fake.callsTo('views.open').length;
  await postSigned(events(), slashCommandBody({ command: '/log', text: '', user_id: 'U0REP00001', trigger_id: '123.456.abc' }), {
    secret: SECRET,
  });
  const opened = await waitFor('views.open', () => fake.callsTo('views.open')[before]);
  const modal = opened.response.view as Payload;
  return (value, day) => {
    const payload = viewSubmissionPayload({
      callbackId: modal.callback_id,
      privateMetadata: modal.private_metadata,
      viewId: modal.id,
      userId: 'U0REP00001',
      blocks: modal.blocks,
      values: {
        metric: {
          entry_metric: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: 'x' }, value: 'hybrid_networking_events' },
          },
        },
        date: { entry_date: { type: 'datepicker', selected_date: day } },
        value: { entry_value: { type: 'number_input', value } },
        note: { entry_note: { type: 'plain_text_input', value: null } },
      },
    });
    payload.view.hash = modal.hash;
    return postSigned(events(), interactivityBody(payload), { secret: SECRET });
  };
}

describe.each(storeKinds())('%s store', (kind) => {
  let database: Awaited<ReturnType<typeof tempDatabaseUrl>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scorecard-start-'));
    fake = await startFakeSlack();
    port = await freePort();
    database = await tempDatabaseUrl(kind);
    env = {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: database.url,
      SCORECARD_CONFIG: join(root, 'scorecard.example.yml'),
      SCORECARD_NOW: NOW,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: fake.url,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    };
    // Sample history, so there are figures to answer with (the demo's seeding, into this database).
    expect(cli(['--database', env.DATABASE_URL!, 'demo']).status).toBe(0);
    bot = spawn(process.execPath, [bin, 'start'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    bot.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A loaded machine has taken over a minute to start it.
    await waitFor(
      'the bot to listen',
      async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined;
        } catch {
          return undefined;
        }
      },
      120_000,
    );
  }, 180_000);

  afterAll(async () => {
    if (bot && bot.exitCode === null) {
      bot.kill('SIGTERM');
      await new Promise((resolve) => bot.once('exit', resolve));
    }
    await fake?.close();
    await database?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('scorecard start (HTTP mode)', () => {
    it('answers a signed /metric cash within 3 s with the figure', async () => {
      const responseUrl = fake.responseUrl();
      const started = Date.now();
      const ack = await postSigned(
        events(),
        slashCommandBody({ command: '/metric', text: 'cash', user_id: CFO, channel_id: 'C0CASH0001', response_url: responseUrl }),
        { secret: SECRET },
      );
      expect(ack.status).toBe(200);
      const answer = await waitFor('the /metric answer', () => fake.responses.find((r) => JSON.stringify(r).includes('Cash position')));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(JSON.stringify(answer)).toMatch(/\$\d+(\.\d)?K/);
    });

    it('rejects a request with a bad signature', async () => {
      const res = await postSigned(events(), slashCommandBody({ command: '/metric', text: 'cash' }), {
        secret: SECRET,
        badSignature: true,
      });
      expect(res.status).toBe(401);
    });

    it('opens the /log modal, answers a bad value inline, and stores a good one that the CLI then reports', async () => {
      const before = JSON.parse(cli(['metric', 'hybrid_networking_events', '--json', '--period', '2026-W47']).stdout).value ?? 0;
      const submit = await openLogModal();
      const bad = await submit('100000', '2026-11-17');
      expect(bad.status).toBe(200);
      expect(bad.json).toMatchObject({ response_action: 'errors', errors: { value: expect.stringContaining('between') } });
      const good = await submit('2', '2026-11-17');
      expect(good.status).toBe(200);
      const after = JSON.parse(cli(['metric', 'hybrid_networking_events', '--json', '--period', '2026-W47']).stdout).value;
      expect(after).toBe(before + 2);
    });

    it('reports health', async () => {
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { ok: boolean; database: { ok: boolean } };
      expect(health).toMatchObject({ ok: true, database: { ok: true } });
    });
  });

  describe('scorecard digest weekly --post', () => {
    it('posts exactly one message across two runs, within Slack limits (the fake enforces them)', async () => {
      const first = await cliAsync(['digest', 'weekly', '--post']);
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/posted/);
      const second = await cliAsync(['digest', 'weekly', '--post']);
      expect(second.status).toBe(0);
      expect(second.stdout).not.toMatch(/: posted/);
      const parents = fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C0WEEKLY01' && !c.body.thread_ts);
      expect(parents).toHaveLength(1);
    });

    it('is updated in place, with one thread reply saying what changed, when a late entry lands in the posted week', async () => {
      const parent = fake.callsTo('chat.postMessage').find((c) => c.body.channel === 'C0WEEKLY01' && !c.body.thread_ts)!;
      const ts = String(parent.response.ts);
      const submit = await openLogModal();
      expect((await submit('3', '2026-11-12')).status).toBe(200); // inside 2026-W46, the week that was posted
      const update = await waitFor('chat.update of the posted scorecard', () => fake.callsTo('chat.update').find((c) => c.body.ts === ts));
      expect(JSON.stringify(update.body)).toContain('Networking events (hybrid)');
      const note = await waitFor('the change note', () =>
        fake
          .callsTo('chat.postMessage')
          .find(
            (c) =>
              c.body.thread_ts === ts &&
              JSON.stringify(c.body).includes('Networking events (hybrid)') &&
              JSON.stringify(c.body).includes('→'),
          ),
      );
      expect(note.body.channel).toBe('C0WEEKLY01');
    });
  });

  describe('shutdown', () => {
    it('stops cleanly on SIGTERM', async () => {
      bot.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => bot.once('exit', resolve));
      expect(code).toBe(0);
    });
  });
});
