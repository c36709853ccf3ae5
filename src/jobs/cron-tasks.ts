import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { describeSlackError } from '../slack/client.js';
import { nextFireTime } from './cron-timing.js';

/**
 * What fires the scheduler's cron expressions: node-cron on the real clock, or a timer loop on a running simulated
 * clock (SCORECARD_CLOCK_RATE), since node-cron only knows real time.
 */

export interface CronTask {
  stop(): void | Promise<void>;
  destroy?(): void | Promise<void>;
}
/** `fire` gets the fire time when the scheduler knows it (the simulated clock); node-cron fires leave it out. */
export type CronScheduler = (expr: string, fire: (at?: Date) => void, opts: { timezone: string; name: string }) => CronTask;

export const nodeCronScheduler =
  (logger: Logger): CronScheduler =>
  (expr, fire, opts) =>
    cron.schedule(expr, () => fire(), {
      ...opts,
      noOverlap: true,
      logger: {
        info: (message) => logger.debug({ task: opts.name }, message),
        warn: (message) => logger.warn({ task: opts.name }, message),
        error: (message, err) => logger.error({ task: opts.name, error: describeSlackError(err ?? message) }, 'cron task error'),
        debug: (message) => logger.debug({ task: opts.name }, String(message)),
      },
    });

/** The longest real sleep between looks at the clock, so a timer never drifts far from it. */
const MAX_SLEEP_MS = 30_000;
const MINUTE = 60_000;
/** Minutes tried one by one before the day-by-day search: the sweep's every-2-minutes expression is found in a step or
 * two, where that search tries every slot of the day (~60 ms). */
const MINUTE_STEPS = 60;

/** The first fire of `expr` strictly after `after`: minute steps for frequent expressions, else cron-timing's search. */
function nextFire(expr: string, after: Date, timezone: string, matcher: ScheduledTask, wholeMinutes: boolean): Date | null {
  if (wholeMinutes) {
    let t = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
    for (let i = 0; i < MINUTE_STEPS; i++, t += MINUTE) if (matcher.match(new Date(t))) return new Date(t);
  }
  return nextFireTime(expr, after, timezone);
}

/**
 * Fires each expression when `now()` (a clock running `rate` times real speed) passes its next fire time: it sleeps
 * the scaled real time until then (at most MAX_SLEEP_MS), looks at the clock again, and fires with the fire time it
 * reached. Fires the loop slept past are skipped, as node-cron does; the start-up catch-up covers missed digests.
 */
export function clockCronScheduler(now: () => Date, rate: number): CronScheduler {
  return (expr, fire, { timezone }) => {
    const matcher = cron.createTask(expr, () => undefined, { timezone });
    const wholeMinutes = cron.parse(expr).second.every((second) => second === 0);
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let next = nextFire(expr, now(), timezone, matcher, wholeMinutes);
    const wake = () => {
      if (stopped) return;
      const at = now();
      if (next && at >= next) {
        const due = next;
        next = nextFire(expr, at, timezone, matcher, wholeMinutes);
        fire(due);
      } else if (!next) {
        next = nextFire(expr, at, timezone, matcher, wholeMinutes);
      }
      const wait = next ? Math.ceil((next.getTime() - now().getTime()) / rate) : MAX_SLEEP_MS;
      timer = setTimeout(wake, Math.min(MAX_SLEEP_MS, Math.max(0, wait)));
      timer.unref();
    };
    wake();
    return {
      stop() {
        stopped = true;
        clearTimeout(timer);
      },
      destroy: () => matcher.destroy(),
    };
  };
}
