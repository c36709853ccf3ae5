import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SOURCES } from '../../src/integrations/registry.js';
import { signRequest } from '../../tests/helpers/slack-requests.js';
import type { ServerReply, ServerStart } from './servers.js';

/**
 * Ack latency of `/metric cash` over HTTP: 2,000 correctly signed requests at 20 concurrent against the real bot
 * (store seeded with 26 weeks of the demo catalog, every source's base URL pointing at a server that never answers,
 * a refresh stuck on all of them) and, in the same run, against a bare Bolt app whose /metric only acks. Rounds
 * alternate between the two so drift (JIT, GC, the machine) lands on both. Targets: the bot's p99 ≤ 1.2× the bare
 * app's, and every ack < 3 s while the sources hang. Each server runs in its own process.
 *
 * On a small shared machine the p99 of 2,000 requests moves by ±20 % between two identical servers (see
 * `bareNoiseP99`); the p50s, and ratios over several runs, are the steadier reading.
 */

export interface LatencyStats {
  p50: number;
  p95: number;
  p99: number;
}

export interface AckBenchResult {
  bare: LatencyStats;
  app: LatencyStats;
  ratioP99: number;
  /** The slowest ack of the real bot, all of it measured while every source hung. */
  hungSourcesMaxMs: number;
  requests: number;
  concurrency: number;
  /** Time from sending /metric to its answer arriving at the response_url (the user-visible wait). */
  answered: LatencyStats & { count: number; maxMs: number; withFigure: number };
  /** Connections the never-answering source server accepted (the stuck refresh); proof the sources were hung. */
  hungConnections: number;
  /**
   * The same p99 ratio between two halves of the bare app's own rounds (even vs odd): how far apart two identical
   * servers measure on this machine in this run. A ratioP99 within that spread of 1 is noise, not cost.
   */
  bareNoiseP99: number;
  targets: { ratioP99: boolean; under3s: boolean };
}

export interface AckBenchOptions {
  requests?: number;
  concurrency?: number;
  warmup?: number;
  rounds?: number;
  weeks?: number;
  /** The app's database (default: a fresh SQLite file). */
  databaseUrl?: string;
}

const SIGNING_SECRET = 'ack-bench-signing-secret-0123456789';
/** Allowed to see cash in the example catalog (slack.sensitive_access), asking in the cash channel. */
const ASKER = { user: 'U0CFO00001', channel: 'C0CASH0001' };

/** The directory holding scorecard.example.yml: the repo root, from src (tsx) or from dist. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'scorecard.example.yml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('scorecard.example.yml not found above the benchmark');
    dir = parent;
  }
  return dir;
}

/** Credentials for every registered source, and every base URL aimed at the hung server. */
export function hungSourceEnv(hungUrl: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of SOURCES) {
    for (const name of source.envVars) {
      if (name.endsWith('_BASE_URL')) env[name] = hungUrl;
      else if (name.endsWith('_ACCESS_URL')) env[name] = `${hungUrl.replace('http://', 'http://bench:bench@')}/simplefin`;
      else env[name] = `bench-${name.toLowerCase()}`;
    }
  }
  return env;
}

export function startServer(start: ServerStart): Promise<{ child: ChildProcess; ready: Extract<ServerReply, { type: 'ready' }> }> {
  const child = fork(fileURLToPath(new URL('./servers.js', import.meta.url)), [], { execArgv: ['--expose-gc'], stdio: 'inherit' });
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`ack bench ${start.kind} server exited early (code ${code})`)));
    child.once('message', (message: ServerReply) => {
      if (message.type === 'ready') resolvePromise({ child, ready: message });
    });
    child.send(start);
  });
}

/** Asks a server to finish and resolves with its result once it has exited (a profile, if any, is then written). */
export function finishServer(child: ChildProcess): Promise<Extract<ServerReply, { type: 'result' }>> {
  return new Promise((resolvePromise, reject) => {
    let result: Extract<ServerReply, { type: 'result' }> | undefined;
    child.removeAllListeners('exit');
    child.once('exit', (code) =>
      result ? resolvePromise(result) : reject(new Error(`ack bench server exited without a result (code ${code})`)),
    );
    child.on('message', (message: ServerReply) => {
      if (message.type === 'result') result = message;
    });
    child.send({ type: 'finish' });
  });
}

/**
 * Waits until a server has finished the work its last load left behind (the bot's answers and renders trailing
 * the acks), so the next measurement, of either server, starts on a quiet machine; returns the main thread's
 * event-loop delay since the previous settle.
 */
export function settleServer(child: ChildProcess): Promise<Extract<ServerReply, { type: 'settled' }>> {
  return new Promise((resolvePromise) => {
    const onMessage = (message: ServerReply) => {
      if (message.type !== 'settled') return;
      child.off('message', onMessage);
      resolvePromise(message);
    };
    child.on('message', onMessage);
    child.send({ type: 'settle' });
  });
}

let sequence = 0;

/** A slash command body as Slack sends it (the fields of Slack's own example), with a fresh response_url. */
function commandBody(responseOrigin: string): { body: string; responseUrl: string } {
  sequence++;
  const responseUrl = `${responseOrigin}/response/bench-${sequence}`;
  const body = new URLSearchParams({
    token: 'verification_token',
    team_id: 'T111',
    team_domain: 'test-domain',
    channel_id: ASKER.channel,
    channel_name: 'cash',
    user_id: ASKER.user,
    user_name: 'cfo',
    command: '/metric',
    text: 'cash',
    api_app_id: 'A111',
    response_url: responseUrl,
    trigger_id: `${sequence}.111.bench`,
  }).toString();
  return { body, responseUrl };
}

/** Sends `count` signed requests, `concurrency` at a time; returns each ack's latency (ms) and send times by URL. */
async function load(
  url: string,
  responseOrigin: string,
  count: number,
  concurrency: number,
  sentAt: Map<string, number>,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const { body, responseUrl } = commandBody(responseOrigin);
      const headers = signRequest(body, SIGNING_SECRET);
      const started = performance.now();
      sentAt.set(responseUrl, Date.now());
      const response = await fetch(url, { method: 'POST', headers: { ...headers }, body });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function stats(values: number[]): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round2(percentile(sorted, 50)), p95: round2(percentile(sorted, 95)), p99: round2(percentile(sorted, 99)) };
}

export async function runAckBench(opts: AckBenchOptions = {}): Promise<AckBenchResult> {
  const requests = opts.requests ?? 2000;
  const concurrency = opts.concurrency ?? 20;
  const rounds = opts.rounds ?? 20;
  const warmup = opts.warmup ?? 200;
  const root = repoRoot();
  const children: ChildProcess[] = [];
  try {
    const slack = await startServer({ type: 'start', kind: 'slack' });
    children.push(slack.child);
    const slackApiUrl = slack.ready.slackApiUrl!;
    const responseOrigin = new URL(slackApiUrl).origin;
    const env = {
      ...hungSourceEnv(slack.ready.hungUrl!),
      SLACK_BOT_TOKEN: 'xoxb-ack-bench',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slackApiUrl,
      LOG_LEVEL: 'silent',
    };
    const [app, bare] = await Promise.all([
      startServer({
        type: 'start',
        kind: 'app',
        configPath: resolve(root, 'scorecard.example.yml'),
        env,
        weeks: opts.weeks ?? 26,
        ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
      }),
      startServer({ type: 'start', kind: 'bare', signingSecret: SIGNING_SECRET, slackApiUrl }),
    ]);
    children.push(app.child, bare.child);
    const appUrl = `http://127.0.0.1:${app.ready.port}/slack/events`;
    const bareUrl = `http://127.0.0.1:${bare.ready.port}/slack/events`;

    const ignored = new Map<string, number>();
    await load(bareUrl, responseOrigin, warmup, concurrency, ignored);
    await load(appUrl, responseOrigin, warmup, concurrency, ignored);

    const appSent = new Map<string, number>();
    const bareLatencies: number[] = [];
    const bareHalves: [number[], number[]] = [[], []];
    const appLatencies: number[] = [];
    const perRound = Math.ceil(requests / rounds);
    for (let round = 0; round < rounds; round++) {
      const count = Math.min(perRound, requests - round * perRound);
      // ABBA order, so neither side always runs right after the other's background work.
      const targets = round % 2 === 0 ? (['bare', 'app'] as const) : (['app', 'bare'] as const);
      for (const target of targets) {
        if (target === 'bare') {
          const latencies = await load(bareUrl, responseOrigin, count, concurrency, new Map());
          bareLatencies.push(...latencies);
          bareHalves[round % 2]!.push(...latencies);
        } else appLatencies.push(...(await load(appUrl, responseOrigin, count, concurrency, appSent)));
      }
    }

    await finishServer(app.child);
    await finishServer(bare.child);
    const slackResult = await finishServer(slack.child);

    const answers = (slackResult.responses ?? []).filter((r) => appSent.has(r.url));
    const answerTimes = answers.map((r) => r.at - appSent.get(r.url)!);
    const bareStats = stats(bareLatencies);
    const appStats = stats(appLatencies);
    const hungSourcesMaxMs = round2(Math.max(...appLatencies));
    const ratioP99 = round2(appStats.p99 / bareStats.p99);
    return {
      bare: bareStats,
      app: appStats,
      ratioP99,
      hungSourcesMaxMs,
      requests,
      concurrency,
      answered: {
        ...stats(answerTimes),
        count: answers.length,
        maxMs: Math.max(0, ...answerTimes),
        withFigure: answers.filter((a) => a.hasFigure).length,
      },
      hungConnections: slackResult.hungConnections ?? 0,
      bareNoiseP99: round2(stats(bareHalves[1]).p99 / stats(bareHalves[0]).p99),
      targets: { ratioP99: ratioP99 <= 1.2, under3s: hungSourcesMaxMs < 3000 },
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runAckBench().then(
    (result) => {
      console.log(JSON.stringify(result, null, 2));
      if (!result.targets.ratioP99 || !result.targets.under3s) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
