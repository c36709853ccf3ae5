/** `--now` / SCORECARD_NOW: a pinned instant makes every output reproducible. */
export function parseNow(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new Error(`--now / SCORECARD_NOW must be an ISO time like 2026-11-16T08:00:00-06:00 — got "${value}"`);
  return date;
}

export interface ClockSettings {
  /** `--now` / SCORECARD_NOW: the instant the clock reads (pinned), or starts at (with `rate`). */
  start?: Date;
  /** SCORECARD_CLOCK_RATE: simulated seconds per real second; unset, the clock is pinned at `start` (or real). */
  rate?: number;
  /** SCORECARD_CLOCK_STARTED: the real instant the running clock leaves `start` (it reads `start` until then); defaults to
   * when the clock is made. */
  startedAt?: Date;
}

/**
 * The one clock every entry point reads: real time; or pinned at `start`; or, with a rate, running from `start` at
 * `rate` times real speed (a day of schedules in minutes, for tests and rehearsals). Replicas given the same
 * `startedAt` read the same time, so a follower that takes over continues the leader's day rather than its own; a
 * `startedAt` a little ahead lets slow-starting replicas all be up before the day begins.
 */
export function makeClock(settings: ClockSettings): () => Date {
  const { start, rate } = settings;
  if (rate === undefined) return start ? () => start : () => new Date();
  const realStart = settings.startedAt?.getTime() ?? Date.now();
  const simulatedStart = start?.getTime() ?? realStart;
  return () => new Date(simulatedStart + Math.max(0, Date.now() - realStart) * rate);
}
