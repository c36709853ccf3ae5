import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ENTRY_ACTION, ENTRY_BLOCK, ENTRY_CALLBACK_ID } from '../../src/bot/views/entry-modal.js';
import { interactivityBody, signRequest } from '../../tests/helpers/slack-requests.js';
import { finishServer, hungSourceEnv, type LatencyStats, repoRoot, settleServer, startServer, stats } from '../ack/run.js';

/**
 * `/metric` answers under mixed load: signed requests at a fixed rate (default 200 req/s, open loop: a slow server
 * does not slow the sender) over loopback HTTP, 70 % `/metric cash`, 20 % `/scorecard`, 10 % `/log` modal
 * submissions, against a bare Bolt app that only acks the same three and against the real bot (26 demo weeks, every
 * source hung, as in the ack benchmark). Each server, the fake Slack and this load generator are separate processes.
 * Rounds (default 5 × 15 s per server, each run opened by 3 s of load not counted, so both are measured warm) run
 * the two back to back in ABBA order; before and after each load a server
 * is settled (the bot's trailing answers and renders finish, then a full collection), so neither's backlog or garbage lands on the other's figures.
 * The fake Slack records when each `/metric` answer lands on its response_url. Reported: answer p50/p99, ack p99 of
 * each over all rounds and its ratio, each kind's ack p99, the median of the rounds' own ratios with its spread, and
 * per round the main thread's busy time per request and loop-delay p99. Targets: answer p99 < 1 s; the ratio ≤ 1.2×.
 */

export interface MixedBenchOptions {
  rate?: number;
  seconds?: number;
  warmupSeconds?: number;
  weeks?: number;
  /** Rounds of (bare, bot) or (bot, bare), alternating; each server's acks are pooled over its rounds. */
  rounds?: number;
  /**
   * Seconds of load that open each server's run, not counted: a server idle while the other ran has had its heaps
   * shrunk by V8 meanwhile, and without this lead whichever ran second in a round was measured cold and the other
   * warm (ratios alternated 1.3–1.4× and 0.8–1.1× with the order).
   */
  leadSeconds?: number;
}

export interface MixedBenchResult {
  rate: number;
  seconds: number;
  leadSeconds: number;
  rounds: number;
  sent: { metric: number; scorecard: number; modal: number };
  /** Requests not acked with a 200 (refused, reset, over 30 s): Slack would have shown the user an error. */
  failed: { bare: number; app: number };
  bare: LatencyStats;
  app: LatencyStats;
  appMetricAck: LatencyStats;
  /** Each kind's acks apart: a `/log` submission's ack waits for its checks and write, the others' for nothing. */
  ackByKind: Record<Kind, { bare: LatencyStats; app: LatencyStats }>;
  /**
   * Bot ack p99 ÷ bare ack p99, each over all its rounds (15,000 acks at the defaults): the figure the target is
   * for. A round's own p99 rests on its 30 slowest acks of 3,000, and the bare app's alone moved 1.8× from round to
   * round here, so a single round's ratio (below) is far noisier than this.
   */
  ratioP99: number;
  /** Per round (bot ÷ bare, the two runs back to back): the median and the spread. */
  roundRatios: { median: number; min: number; max: number };
  perRound: RoundFigures[];
  /** Time from sending `/metric` to its answer arriving at the response_url (what the asker waits for). */
  metricAnswer: LatencyStats & { count: number; maxMs: number };
  targets: { answerP99Under1s: boolean; ratioP99: boolean };
}

const SIGNING_SECRET = 'mixed-bench-signing-secret-0123456789';
/** The CFO may see cash (slack.sensitive_access in the example catalog); the admin may log for any week. */
const ASKER = { user: 'U0CFO00001', channel: 'C0CASH0001' };
const LOGGER = 'U0ADMIN001';
const LOGGED_METRIC = 'outside_coi_attended';

type Kind = 'metric' | 'scorecard' | 'modal';

/** 7 in 10 `/metric`, 2 `/scorecard`, 1 modal submission, interleaved so every second carries the same mix. */
const kindOf = (n: number): Kind => (n % 10 < 7 ? 'metric' : n % 10 < 9 ? 'scorecard' : 'modal');

let sequence = 0;

function commandBody(command: '/metric' | '/scorecard', text: string, responseUrl: string): string {
  sequence++;
  return new URLSearchParams({
    token: 'verification_token',
    team_id: 'T111',
    team_domain: 'test-domain',
    channel_id: ASKER.channel,
    channel_name: 'cash',
    user_id: ASKER.user,
    user_name: 'cfo',
    command,
    text,
    api_app_id: 'A111',
    response_url: responseUrl,
    trigger_id: `${sequence}.111.mixed`,
  }).toString();
}

/**
 * A `/log` modal submission as Slack posts it (the fields of Slack's view_submission example; built here because the
 * compiled benchmark does not run beside the examples): one count of a manual metric, dated yesterday (UTC).
 */
function modalBody(): string {
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const input = (field: keyof typeof ENTRY_BLOCK) => ({
    type: 'input',
    block_id: ENTRY_BLOCK[field],
    label: { type: 'plain_text', text: field },
    element: { action_id: ENTRY_ACTION[field] },
  });
  sequence++;
  return interactivityBody({
    type: 'view_submission',
    team: { id: 'T111', domain: 'test-domain' },
    user: { id: LOGGER, username: 'admin', name: 'admin', team_id: 'T111' },
    api_app_id: 'A111',
    token: 'verification_token',
    trigger_id: `${sequence}.222.mixed`,
    view: {
      id: `V${sequence}`,
      team_id: 'T111',
      type: 'modal',
      callback_id: ENTRY_CALLBACK_ID,
      private_metadata: '',
      blocks: [input('metric'), input('date'), input('value'), input('note')],
      state: {
        values: {
          [ENTRY_BLOCK.metric]: { [ENTRY_ACTION.metric]: { type: 'static_select', selected_option: { value: LOGGED_METRIC } } },
          [ENTRY_BLOCK.date]: { [ENTRY_ACTION.date]: { type: 'datepicker', selected_date: day } },
          [ENTRY_BLOCK.value]: { [ENTRY_ACTION.value]: { type: 'plain_text_input', value: '1' } },
          [ENTRY_BLOCK.note]: { [ENTRY_ACTION.note]: { type: 'plain_text_input', value: 'mixed bench' } },
        },
      },
      hash: `${sequence}.mixed`,
      title: { type: 'plain_text', text: 'Log activity' },
      root_view_id: `V${sequence}`,
      app_id: 'A111',
      bot_id: 'B111',
    },
    response_urls: [],
  });
}

interface Sent {
  kind: Kind;
  /** Infinity when the request failed (refused, reset, timed out, non-200): counted, never dropped. */
  ackMs: number;
}

/**
 * Sends `rate` requests a second for `leadSeconds` then `seconds`, each on time whatever the server's backlog (open
 * loop), and waits for every ack; returns those sent after the lead. `metricSentAt` gets each of those `/metric`
 * response_urls with its send time.
 */
async function drive(
  url: string,
  responseOrigin: string,
  rate: number,
  seconds: number,
  metricSentAt?: Map<string, number>,
  leadSeconds = 0,
): Promise<Sent[]> {
  const lead = Math.round(rate * leadSeconds);
  const total = lead + Math.round(rate * seconds);
  const inFlight: Promise<Sent>[] = [];
  const started = performance.now();
  const send = (n: number): Promise<Sent> => {
    const kind = kindOf(n);
    const responseUrl = `${responseOrigin}/response/mixed-${kind}-${sequence + 1}`;
    const body =
      kind === 'modal'
        ? modalBody()
        : kind === 'metric'
          ? commandBody('/metric', 'cash', responseUrl)
          : commandBody('/scorecard', '', responseUrl);
    const headers = signRequest(body, SIGNING_SECRET);
    if (kind === 'metric' && n >= lead) metricSentAt?.set(responseUrl, Date.now());
    const at = performance.now();
    return fetch(url, { method: 'POST', headers: { ...headers }, body, signal: AbortSignal.timeout(30_000) }).then(
      async (response) => {
        await response.arrayBuffer();
        return { kind, ackMs: response.status === 200 ? performance.now() - at : Number.POSITIVE_INFINITY };
      },
      () => ({ kind, ackMs: Number.POSITIVE_INFINITY }),
    );
  };
  // Every loop is bounded: at most `total` sends, each tick catching up on whatever fell due since the last.
  while (inFlight.length < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    while (inFlight.length < due) inFlight.push(send(inFlight.length));
    await new Promise((resolveTick) => setTimeout(resolveTick, 2));
  }
  return (await Promise.all(inFlight)).slice(lead);
}

interface RoundFigures {
  /** Which server ran first in this round (ABBA order across rounds). */
  first: 'bare' | 'app';
  bareAckP99: number;
  appAckP99: number;
  ratioP99: number;
  answerP99: number;
  /** The bot's main-thread event-loop delay over this round's load and drain. */
  appLoopDelayP99Ms: number;
  bareLoopDelayP99Ms: number;
  /** Main-thread busy time per request sent (event-loop utilisation over the load and its drain). */
  appBusyMsPerRequest: number;
  bareBusyMsPerRequest: number;
}

/** Where a long run is (on stderr, so stdout stays the figures). */
const progress = (what: string) => console.error(`[mixed ${new Date().toISOString().slice(11, 19)}] ${what}`);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round2 = (n: number) => Math.round(n * 100) / 100;

export async function runMixedBench(opts: MixedBenchOptions = {}): Promise<MixedBenchResult> {
  const rate = opts.rate ?? 200;
  const seconds = opts.seconds ?? 15;
  const warmupSeconds = opts.warmupSeconds ?? 2;
  const leadSeconds = opts.leadSeconds ?? 3;
  const rounds = opts.rounds ?? 5;
  const children: ChildProcess[] = [];
  try {
    const slack = await startServer({ type: 'start', kind: 'slack' });
    children.push(slack.child);
    const slackApiUrl = slack.ready.slackApiUrl!;
    const responseOrigin = new URL(slackApiUrl).origin;
    const env = {
      ...hungSourceEnv(slack.ready.hungUrl!),
      SLACK_BOT_TOKEN: 'xoxb-mixed-bench',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slackApiUrl,
      LOG_LEVEL: 'silent',
    };
    const [app, bare] = await Promise.all([
      startServer({ type: 'start', kind: 'app', configPath: resolve(repoRoot(), 'scorecard.example.yml'), env, weeks: opts.weeks ?? 26 }),
      startServer({ type: 'start', kind: 'bare', signingSecret: SIGNING_SECRET, slackApiUrl }),
    ]);
    children.push(app.child, bare.child);
    const servers = {
      bare: { child: bare.child, url: `http://127.0.0.1:${bare.ready.port}/slack/events` },
      app: { child: app.child, url: `http://127.0.0.1:${app.ready.port}/slack/events` },
    };

    // Both warmed up (JIT, connections), then each settled, so no backlog of one lands on the other's figures.
    for (const [name, server] of Object.entries(servers)) {
      progress(`warming up ${name}`);
      await drive(server.url, responseOrigin, rate, warmupSeconds);
      await settleServer(server.child);
    }

    // One server at a time, under the same open-loop load from this process (neither server's), in ABBA order so
    // neither always runs first or right after the other; each waits for the other's trailing work to finish.
    const bareSent: Sent[] = [];
    const appSent: Sent[] = [];
    const metricSentAt = new Map<string, number>();
    const perRound: RoundFigures[] = [];
    /** Each `/metric` response_url's round (filled while driving, read once the fake Slack hands over its log). */
    const roundOf = new Map<string, number>();
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['bare', 'app'] as const) : (['app', 'bare'] as const);
      const roundSent = { bare: [] as Sent[], app: [] as Sent[] };
      const roundAsked = new Map<string, number>();
      const loop = { bare: 0, app: 0 };
      const busy = { bare: 0, app: 0 };
      for (const target of order) {
        progress(`round ${round + 1}/${rounds}: ${target}`);
        await settleServer(servers[target].child);
        const sent = await drive(
          servers[target].url,
          responseOrigin,
          rate,
          seconds,
          target === 'app' ? roundAsked : undefined,
          leadSeconds,
        );
        progress(`round ${round + 1}/${rounds}: ${target} sent, waiting for its work to finish`);
        const settled = await settleServer(servers[target].child);
        loop[target] = settled.loopDelayP99Ms;
        busy[target] = settled.mainThreadBusyMs / (sent.length + Math.round(rate * leadSeconds));
        roundSent[target] = sent;
      }
      bareSent.push(...roundSent.bare);
      appSent.push(...roundSent.app);
      for (const [url, at] of roundAsked) metricSentAt.set(url, at);
      const bareAckP99 = stats(roundSent.bare.map((s) => s.ackMs)).p99;
      const appAckP99 = stats(roundSent.app.map((s) => s.ackMs)).p99;
      perRound.push({
        first: order[0],
        bareAckP99,
        appAckP99,
        ratioP99: round2(appAckP99 / bareAckP99),
        answerP99: Number.NaN,
        appLoopDelayP99Ms: round2(loop.app),
        bareLoopDelayP99Ms: round2(loop.bare),
        appBusyMsPerRequest: round2(busy.app),
        bareBusyMsPerRequest: round2(busy.bare),
      });
      // Which round each answer belongs to, for the per-round answer p99 below.
      for (const url of roundAsked.keys()) roundOf.set(url, round);
    }
    progress('stopping the servers');
    await finishServer(app.child);
    await finishServer(bare.child);
    const slackResult = await finishServer(slack.child);

    const firstAnswer = new Map<string, number>();
    for (const r of slackResult.responses ?? []) {
      if (metricSentAt.has(r.url) && !firstAnswer.has(r.url)) firstAnswer.set(r.url, r.at);
    }
    const answerTimes = [...firstAnswer].map(([url, at]) => at - metricSentAt.get(url)!);
    for (const [index, figures] of perRound.entries()) {
      const times = [...firstAnswer].filter(([url]) => roundOf.get(url) === index).map(([url, at]) => at - metricSentAt.get(url)!);
      figures.answerP99 = stats(times).p99;
    }
    const bareStats = stats(bareSent.map((s) => s.ackMs));
    const appStats = stats(appSent.map((s) => s.ackMs));
    const ratioP99 = round2(appStats.p99 / bareStats.p99);
    const metricAnswer = { ...stats(answerTimes), count: answerTimes.length, maxMs: Math.round(Math.max(0, ...answerTimes)) };
    // A round where even the bare app left requests unacked (an overloaded machine) has no ratio to speak of.
    const ratios = perRound.map((r) => r.ratioP99).filter((ratio) => Number.isFinite(ratio));
    const count = (kind: Kind) => appSent.filter((s) => s.kind === kind).length;
    return {
      rate,
      seconds,
      leadSeconds,
      rounds,
      sent: { metric: count('metric'), scorecard: count('scorecard'), modal: count('modal') },
      failed: {
        bare: bareSent.filter((s) => !Number.isFinite(s.ackMs)).length,
        app: appSent.filter((s) => !Number.isFinite(s.ackMs)).length,
      },
      bare: bareStats,
      app: appStats,
      appMetricAck: stats(appSent.filter((s) => s.kind === 'metric').map((s) => s.ackMs)),
      ackByKind: {
        metric: ackStatsOf('metric', bareSent, appSent),
        scorecard: ackStatsOf('scorecard', bareSent, appSent),
        modal: ackStatsOf('modal', bareSent, appSent),
      },
      ratioP99,
      roundRatios: ratios.length
        ? { median: round2(median(ratios)), min: Math.min(...ratios), max: Math.max(...ratios) }
        : { median: Number.NaN, min: Number.NaN, max: Number.NaN },
      perRound,
      metricAnswer,
      targets: { answerP99Under1s: metricAnswer.p99 < 1000, ratioP99: ratioP99 <= 1.2 },
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

function ackStatsOf(kind: Kind, bareSent: Sent[], appSent: Sent[]): { bare: LatencyStats; app: LatencyStats } {
  const acks = (sent: Sent[]) => stats(sent.filter((s) => s.kind === kind).map((s) => s.ackMs));
  return { bare: acks(bareSent), app: acks(appSent) };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

export function formatMixedBench(r: MixedBenchResult): string {
  return [
    `Mixed load over HTTP, ${r.rate} signed req/s, ${r.rounds} rounds of ${r.seconds} s per server (after a ${r.leadSeconds} s lead), ABBA order (in all, to the bot: ${r.sent.metric} /metric, ${r.sent.scorecard} /scorecard, ${r.sent.modal} /log submissions; every source hung):`,
    `  /metric answer at response_url: p50 ${ms(r.metricAnswer.p50)}  p99 ${ms(r.metricAnswer.p99)}  max ${ms(r.metricAnswer.maxMs)}; ${r.metricAnswer.count}/${r.sent.metric} answered (target p99 < 1 s)`,
    `  acks, bare Bolt app: p50 ${ms(r.bare.p50)}  p99 ${ms(r.bare.p99)}`,
    `  acks, Scorecard:     p50 ${ms(r.app.p50)}  p99 ${ms(r.app.p99)}  (/metric alone: p50 ${ms(r.appMetricAck.p50)}  p99 ${ms(r.appMetricAck.p99)})`,
    `  ack p99 by kind, Scorecard vs bare: /metric ${ms(r.ackByKind.metric.app.p99)} vs ${ms(r.ackByKind.metric.bare.p99)}, /scorecard ${ms(r.ackByKind.scorecard.app.p99)} vs ${ms(r.ackByKind.scorecard.bare.p99)}, /log submission ${ms(r.ackByKind.modal.app.p99)} vs ${ms(r.ackByKind.modal.bare.p99)}`,
    ...r.perRound.map(
      (round, i) =>
        `  round ${i + 1} (${round.first} first): ack p99 Scorecard ${ms(round.appAckP99)} vs bare ${ms(round.bareAckP99)} = ${round.ratioP99.toFixed(2)}×; answer p99 ${ms(round.answerP99)}; main thread busy ${ms(round.appBusyMsPerRequest)} vs ${ms(round.bareBusyMsPerRequest)} per request, loop delay p99 ${ms(round.appLoopDelayP99Ms)} vs ${ms(round.bareLoopDelayP99Ms)}`,
    ),
    `  ack p99 ratio, Scorecard ÷ bare over all rounds: ${r.ratioP99.toFixed(2)}× (target ≤ 1.2×); per round: median ${r.roundRatios.median.toFixed(2)}×, spread ${r.roundRatios.min.toFixed(2)}–${r.roundRatios.max.toFixed(2)}×; not acked: bare ${r.failed.bare}, Scorecard ${r.failed.app}`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `node dist/bench/mixed/run.js --rounds 5 --seconds 10 --rate 200`
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, seconds: { type: 'string' }, rate: { type: 'string' } } });
  const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const options: MixedBenchOptions = {};
  for (const key of ['rounds', 'seconds', 'rate'] as const) {
    const value = number(values[key]);
    if (value !== undefined) options[key] = value;
  }
  runMixedBench(options).then(
    (result) => {
      console.log(formatMixedBench(result));
      if (!result.targets.answerP99Under1s || !result.targets.ratioP99) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
