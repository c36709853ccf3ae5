import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { setPriority, tmpdir } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { pino } from 'pino';
import { niceHelperThreads } from '../../src/bot/answer/thread-priority.js';
import { startBot } from '../../src/bot/start.js';
import { seedDemo } from '../../src/integrations/sample/demo.js';
import { refresh } from '../../src/integrations/refresh.js';
import { SOURCES } from '../../src/integrations/registry.js';
import { openRuntime } from '../../src/runtime.js';
import { syncStateFor } from '../../src/store/sync-state.js';
import { startFakeSlack } from '../../tests/helpers/fake-slack.js';

/**
 * The benchmark's servers, each in its own process so no event loop waits on another's (as in production, where
 * Slack and the sources are other machines): `slack` (the fake Web API and response_url sink, plus a "source"
 * that accepts connections and never answers), `app` (the real bot, with a refresh hung on every source in the
 * background) and `bare` (a Bolt app whose /metric, /scorecard and /log modal only ack). Parent → child: `start`;
 * child → parent: `ready`; any number of times, parent → child: `settle`, child → parent: `settled` (once its work
 * is done, with its event-loop delay); parent → child: `finish`; child → parent: `result`, then the child exits.
 */

export type ServerStart =
  | { type: 'start'; kind: 'slack' }
  | { type: 'start'; kind: 'app'; configPath: string; env: Record<string, string>; weeks: number; databaseUrl?: string }
  | { type: 'start'; kind: 'bare'; signingSecret: string; slackApiUrl: string };

export type ServerReply =
  | { type: 'ready'; port?: number; slackApiUrl?: string; hungUrl?: string; detail?: string }
  | { type: 'settled'; loopDelayP99Ms: number; loopDelayMaxMs: number; mainThreadBusyMs: number }
  | { type: 'result'; responses?: { url: string; at: number; hasFigure: boolean }[]; hungConnections?: number };

/** The main thread's event-loop delay (what holds up an ack), sampled every 10 ms from start to each settle. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
/** What a server waits for before it calls itself settled (the bot: its listeners' work after the acks). */
let untilIdle: () => Promise<unknown> = async () => undefined;
/** The main thread's busy time (event-loop utilisation) since the last settle: its share of the work, per request. */
let utilisationMark = performance.eventLoopUtilization();

process.on('message', (message: ServerStart | { type: 'finish' } | { type: 'settle' }) => {
  if (message.type === 'settle') {
    void untilIdle().then(() => {
      const utilisation = performance.eventLoopUtilization(utilisationMark);
      const figures = {
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
        mainThreadBusyMs: utilisation.active,
      };
      // A full collection now, between loads: otherwise this server's garbage from one load is collected while the
      // other server is under load (both share the machine's cores), and each would pay for the other's.
      globalThis.gc?.();
      reply({ type: 'settled', ...figures });
      loopDelay.reset();
      utilisationMark = performance.eventLoopUtilization();
    });
    return;
  }
  if (message.type !== 'start') return;
  const started = message.kind === 'slack' ? serveSlack() : message.kind === 'app' ? serveApp(message) : serveBare(message);
  started.catch((error: unknown) => {
    console.error(`ack bench ${message.kind} server failed:`, error);
    process.exit(1);
  });
});

function reply(message: ServerReply): void {
  process.send?.(message);
}

function onFinish(finish: () => Promise<ServerReply>): void {
  // Not `once`: `settle` messages come before `finish`.
  const onMessage = (message: { type: string }) => {
    if (message.type !== 'finish') return;
    process.off('message', onMessage);
    void finish().then((result) => {
      // Exit only once the result is handed over: process.send is asynchronous.
      process.send?.(result, () => {
        process.disconnect();
        process.exit(0);
      });
    });
  };
  process.on('message', onMessage);
}

/**
 * Slack's servers are other machines in production; here they share this one. Niced (every thread), the fake's work (taking
 * 2,000 answers and checking each one's blocks) does not pass for the bot's own cost.
 */
const REMOTE_PEER_NICE = 10;

async function serveSlack(): Promise<void> {
  try {
    setPriority(REMOTE_PEER_NICE);
  } catch {
    // Not permitted here: the measurement is just a little pessimistic for the bot.
  }
  // Its V8 helper threads too (Linux keeps a nice value per thread): they collect the garbage of those answers.
  niceHelperThreads(REMOTE_PEER_NICE);
  const fake = await startFakeSlack();
  // A source that accepts the connection and then says nothing, ever: the worst kind of outage for a client.
  const hung = new Set<Socket>();
  let hungConnections = 0;
  const hungServer = createTcpServer((socket) => {
    hungConnections++;
    hung.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => hung.delete(socket));
  });
  await new Promise<void>((resolve) => hungServer.listen(0, '127.0.0.1', resolve));
  const hungUrl = `http://127.0.0.1:${(hungServer.address() as AddressInfo).port}`;
  reply({ type: 'ready', slackApiUrl: fake.url, hungUrl });
  onFinish(async () => {
    const responses = fake.responses.map((r) => ({ url: r.url, at: r.at, hasFigure: JSON.stringify(r.body.blocks ?? []).includes('$') }));
    for (const socket of hung) socket.destroy();
    hungServer.close();
    await fake.close();
    return { type: 'result', responses, hungConnections };
  });
}

async function serveApp(start: Extract<ServerStart, { kind: 'app' }>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'scorecard-ack-bench-'));
  const logger = pino({ level: 'silent' });
  const runtime = await openRuntime({
    configPath: start.configPath,
    databaseUrl: start.databaseUrl ?? `sqlite:${join(dir, 'bench.db')}`,
    env: start.env,
    logger,
  });
  const now = runtime.now();
  await seedDemo(
    runtime.store,
    runtime.config,
    { config: runtime.config, env: {}, logger, state: syncStateFor(runtime.store, runtime.now), now, stats: { calls: 0, rateLimited: 0 } },
    { weeks: start.weeks },
  );
  const bot = await startBot({ runtime, port: 0, scheduler: false });
  // Every configured source now refreshes against the hung server, and stays stuck there for the whole run.
  const sources = SOURCES.filter((source) => source.id !== 'sample');
  const stuck = refresh({ store: runtime.store, config: runtime.config, env: runtime.rawEnv, logger, now, sources }).catch(() => undefined);
  void stuck;
  untilIdle = () => bot.idle(120_000);
  reply({ type: 'ready', port: bot.port, detail: `sources hung: ${sources.map((s) => s.id).join(', ') || 'none registered'}` });
  onFinish(async () => {
    // Answers trail the acks under this flood (the answer thread yields the CPU to acks): let them all land.
    await bot.idle(120_000);
    await bot.stop();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
    return { type: 'result' };
  });
}

async function serveBare(start: Extract<ServerStart, { kind: 'bare' }>): Promise<void> {
  const app = new App({
    token: 'xoxb-ack-bench-bare',
    signingSecret: start.signingSecret,
    clientOptions: { slackApiUrl: start.slackApiUrl },
    logLevel: LogLevel.ERROR,
  });
  app.command('/metric', async ({ ack }) => {
    await ack();
  });
  // The mixed-load benchmark also sends /scorecard and /log modal submissions: the bare app acks those alone too.
  app.command('/scorecard', async ({ ack }) => {
    await ack();
  });
  app.view('log_entry', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as { address(): AddressInfo };
  reply({ type: 'ready', port: server.address().port });
  onFinish(async () => {
    await app.stop();
    return { type: 'result' };
  });
}
