import type { WebClient } from '@slack/web-api';
import type { Runtime } from '../runtime.js';
import type { DigestKind } from '../store/types.js';
import type { LocalDay } from '../metrics/types.js';
import { weekContaining } from '../metrics/periods.js';
import { getDigestRun, listUnfinishedDigestRuns } from '../store/digest-runs.js';
import type { PostResult } from '../slack/digest-job.js';
import { postDigest } from '../slack/post.js';
import { buildDigestJob, terminalDigest } from './digest-render.js';
import { describeSlackError } from '../slack/client.js';
import type { ChannelPacer } from '../slack/pacing.js';
import { sendNudges } from './nudges.js';
import { digestPeriod, nudgeWeek, previousFireTime } from './cron-timing.js';
import { correctedDays, type RefreshSummary } from '../integrations/refresh.js';
import { emailDigest } from './email-digests.js';
import { sheetsSyncJob } from './sheets-sync.js';
import { opsNotifier } from './ops-alerts.js';
import { clockCronScheduler, nodeCronScheduler, type CronScheduler, type CronTask } from './cron-tasks.js';

export type { CronScheduler, CronTask } from './cron-tasks.js';

/**
 * The scheduler: node-cron jobs in the org timezone for refresh, the weekly scorecard, the cash and support digests
 * and the owner nudges. Posting is idempotent (post.ts), so a cron fire, a catch-up after downtime and a manual
 * `runNow` can never post one period twice; they only ever update it in place.
 */

export const DIGEST_KINDS: readonly DigestKind[] = ['weekly', 'cash', 'support'];
export type SchedulerJob = 'refresh' | DigestKind | 'nudges' | 'sweep';

/**
 * The sweep finishes digests a crashed process left claimed (once its lease lapses) or a failed post left undone. It
 * runs every 2 minutes, so with the 2-minute lease an interrupted post is complete within about 4 minutes.
 */
export const DIGEST_SWEEP_CRON = '*/2 * * * *';
/** A failing post (say, an archived channel) is retried by the sweep this many times in all, then left to an operator. */
const SWEEP_MAX_ATTEMPTS = 6;
/** Older unfinished runs are not swept: a digest more than a week late helps no one. */
const SWEEP_WINDOW_MS = 8 * 86_400_000;

const MINUTE = 60_000;
const HOUR = 3_600_000;
export interface SchedulerDeps {
  runtime: Runtime;
  /** Null without SLACK_BOT_TOKEN: digests are written to `out` instead of Slack, nudges are skipped. */
  client: WebClient | null;
  refresh?: () => Promise<unknown>;
  pacer?: ChannelPacer;
  /** Defaults to node-cron; tests pass one that records the jobs and fires them by hand. */
  schedule?: CronScheduler;
  out?: (text: string) => void;
}

export interface CatchUpRun {
  kind: DigestKind;
  period: string;
  missedAt: string;
  outcome: PostResult['outcome'] | 'printed' | 'skipped';
}

export interface Scheduler {
  stop(): Promise<void>;
  runNow(job: SchedulerJob): Promise<void>;
  /**
   * Re-renders digests already posted so late numbers update them in place (one change reply each). With `day` (a
   * manual entry's local day): the weekly period containing it and that day's daily digests; without: the current ones.
   */
  updatePosted(day?: LocalDay): Promise<void>;
  /** Settles once the start-up catch-up is done: the missed digests it ran (posted or already there). */
  caughtUp: Promise<CatchUpRun[]>;
}

export function startScheduler(deps: SchedulerDeps): Scheduler {
  const rt = deps.runtime;
  const { config, logger } = rt;
  const periods = rt.evalContext().periods;
  const tz = periods.timezone;
  const inFlight = new Set<Promise<unknown>>();
  const queues = new Map<string, Promise<unknown>>();
  const out = deps.out ?? ((text: string) => void process.stdout.write(`${text}\n`));

  /** Work `stop()` waits for. */
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };
  /** One run of a job name at a time; a cron fire during a catch-up waits for it instead of racing it. */
  const serial = <T>(name: string, task: () => Promise<T>): Promise<T> => {
    const run = (queues.get(name) ?? Promise.resolve()).catch(() => undefined).then(task);
    queues.set(name, run);
    return track(run);
  };

  const postDeps = (client: WebClient) => ({ store: rt.store, client, logger, now: rt.now, pacer: deps.pacer });

  async function runDigest(kind: DigestKind, period: string, why?: string[]): Promise<CatchUpRun['outcome']> {
    const channel = config.slack.channels[kind];
    if (!channel) {
      logger.info({ kind }, `no slack.channels.${kind} configured; the ${kind} digest is not posted`);
      return 'skipped';
    }
    if (!deps.client) {
      out(await terminalDigest(rt, kind, period));
      return 'printed';
    }
    const result = await postDigest(postDeps(deps.client), {
      ...buildDigestJob(rt, kind, period, channel, deps.client),
      ...(why ? { why } : {}),
    });
    logger.info({ kind, period, channel, outcome: result.outcome, ts: result.ts }, `${kind} digest ${result.outcome}`);
    return result.outcome;
  }

  /** The email copy of a digest period (exactly once per recipient list; see jobs/email-digests.ts). Never throws. */
  const sendEmail = (kind: DigestKind, period: string) =>
    emailDigest(rt, kind, period, { notify: opsNotifier(config, deps.client) }).catch((err: unknown) =>
      logger.error({ kind, period, error: describeSlackError(err) }, `emailing the ${kind} digest failed`),
    );

  async function updatePosted(at: Date, day?: LocalDay, why?: string[]): Promise<void> {
    if (!deps.client) return;
    for (const kind of DIGEST_KINDS) {
      const channel = config.slack.channels[kind];
      const period = day === undefined ? digestPeriod(kind, at, periods) : kind === 'weekly' ? weekContaining(day, periods).label : day;
      if (!channel || (await getDigestRun(rt.store, { kind, period, channel }))?.status !== 'posted') continue;
      await serial(kind, () => runDigest(kind, period, why));
    }
  }

  /** Old days a refresh corrected (late changes): their weeks' posted scorecards and those days' digests update in place. */
  async function updateCorrected(at: Date, result: unknown): Promise<void> {
    if (!isRefreshSummary(result)) return;
    const why = result.results.flatMap((r) => r.late?.reasons ?? []);
    // A week with several corrected days re-renders once per day; only the first finds a change to post.
    for (const day of correctedDays(result)) await updatePosted(at, day, why);
  }

  /** Completes every unfinished run of a configured channel: see DIGEST_SWEEP_CRON. */
  async function sweep(): Promise<CatchUpRun[]> {
    if (!deps.client) return [];
    const since = new Date(rt.now().getTime() - SWEEP_WINDOW_MS);
    const runs: CatchUpRun[] = [];
    for (const unfinished of await listUnfinishedDigestRuns(rt.store, { since, maxAttempts: SWEEP_MAX_ATTEMPTS })) {
      const { kind, period } = unfinished;
      if (config.slack.channels[kind] !== unfinished.channel) continue;
      try {
        const outcome = await serial(kind, () => runDigest(kind, period));
        runs.push({ kind, period, missedAt: unfinished.claimed_at, outcome });
      } catch (err) {
        logger.error({ kind, period, error: describeSlackError(err) }, `the sweep could not finish the ${kind} digest`);
      }
    }
    return runs;
  }

  async function run(job: SchedulerJob, at: Date): Promise<void> {
    if (job === 'sweep') {
      await sweep();
    } else if (job === 'refresh') {
      const result = await serial('refresh', async () => deps.refresh?.());
      // The Sheets mirror follows every refresh that did not fail (a no-op unless it is set up).
      if ((result as { ok?: boolean } | undefined)?.ok !== false)
        await serial('sheets', () => sheetsSyncJob(rt, {}, { notify: opsNotifier(config, deps.client) })).catch((err: unknown) =>
          logger.error({ error: describeSlackError(err) }, 'the sheets sync failed'),
        );
      await updatePosted(at);
      await updateCorrected(at, result);
    } else if (job === 'nudges') {
      const client = deps.client;
      if (!client) {
        logger.info('no Slack client (SLACK_BOT_TOKEN unset); nudges skipped');
        return;
      }
      const slot = new Date(Math.floor(at.getTime() / MINUTE) * MINUTE);
      const week = nudgeWeek(config.schedule.weekly, slot, periods);
      await serial('nudges', async () => {
        const result = await sendNudges({ ...postDeps(client), config }, slot, week);
        logger.info({ slot: slot.toISOString(), week: week.label, ...result }, 'nudges done');
      });
    } else {
      const period = digestPeriod(job, at, periods);
      const emailed = serial(`email-${job}`, () => sendEmail(job, period));
      await serial(job, () => runDigest(job, period));
      await emailed;
    }
  }

  async function catchUp(): Promise<CatchUpRun[]> {
    const now = rt.now();
    const graceMs = config.schedule.catch_up_grace_hours * HOUR;
    const runs: CatchUpRun[] = [];
    for (const kind of DIGEST_KINDS) {
      const channel = config.slack.channels[kind];
      const missedAt = previousFireTime(config.schedule[kind], now, tz);
      if (!missedAt || now.getTime() - missedAt.getTime() > graceMs) continue;
      const period = digestPeriod(kind, missedAt, periods);
      await serial(`email-${kind}`, () => sendEmail(kind, period));
      if (!channel) continue;
      if ((await getDigestRun(rt.store, { kind, period, channel }))?.status === 'posted') continue;
      logger.info({ kind, period, missedAt: missedAt.toISOString() }, `catching up the missed ${kind} digest`);
      try {
        const outcome = await serial(kind, () => runDigest(kind, period));
        runs.push({ kind, period, missedAt: missedAt.toISOString(), outcome });
      } catch (err) {
        // One digest failing (say, its channel was archived) must not keep the others from catching up.
        logger.error({ kind, period, error: describeSlackError(err) }, `catch-up of the ${kind} digest failed`);
      }
    }
    // Then whatever a crash before the restart left half-posted, including periods older than the grace window.
    const done = new Set(runs.map((r) => `${r.kind} ${r.period}`));
    for (const swept of await sweep()) if (!done.has(`${swept.kind} ${swept.period}`)) runs.push(swept);
    logger.info({ runs: runs.map((r) => `${r.kind} ${r.period}: ${r.outcome}`) }, 'catch-up of missed digests done');
    return runs;
  }

  // A running simulated clock (SCORECARD_CLOCK_RATE) fires on itself; real or pinned time fires on node-cron.
  const rate = rt.env.SCORECARD_CLOCK_RATE;
  const schedule = deps.schedule ?? (rate ? clockCronScheduler(rt.now, rate) : nodeCronScheduler(logger));
  const fire = (job: SchedulerJob) => (at?: Date) => {
    run(job, at ?? rt.now()).catch((err: unknown) => logger.error({ job, error: describeSlackError(err) }, `scheduled ${job} failed`));
  };
  const tasks: CronTask[] = [
    schedule(config.schedule.refresh, fire('refresh'), { timezone: tz, name: 'refresh' }),
    ...DIGEST_KINDS.map((kind) => schedule(config.schedule[kind], fire(kind), { timezone: tz, name: kind })),
    ...config.schedule.nudges.map((expr, i) => schedule(expr, fire('nudges'), { timezone: tz, name: `nudges-${i + 1}` })),
    schedule(DIGEST_SWEEP_CRON, fire('sweep'), { timezone: tz, name: 'digest-sweep' }),
  ];

  const caughtUp = track(
    catchUp().catch((err: unknown) => {
      logger.error({ error: describeSlackError(err) }, 'catch-up of missed digests failed');
      return [] as CatchUpRun[];
    }),
  );

  return {
    caughtUp,
    runNow: (job) => run(job, rt.now()),
    updatePosted: (day) => track(updatePosted(rt.now(), day)),
    async stop() {
      await Promise.all(
        tasks.map(async (task) => {
          await task.stop();
          await task.destroy?.();
        }),
      );
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

function isRefreshSummary(value: unknown): value is RefreshSummary {
  return typeof value === 'object' && value !== null && Array.isArray((value as { results?: unknown }).results);
}
