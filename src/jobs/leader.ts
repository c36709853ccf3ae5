import type { Logger } from 'pino';
import type { LeaderLock } from '../store/leader-lock.js';

/**
 * Leader election for replicas sharing one database: every replica serves Slack, the one holding the scheduler lock
 * also runs the scheduler. Followers try the lock every `pollMs`; a leader checks every `pollMs` that its lock
 * connection is alive and stops its scheduler the moment it is not. The lock dies with its holder's connection, so a
 * follower takes over within one poll of the leader going away (kill -9 included), and its scheduler's start-up
 * catch-up posts whatever the old leader missed, within the usual grace.
 */

/** 5 s: a takeover well inside 30 s, at one tiny query per replica per poll. */
export const DEFAULT_LEADER_POLL_MS = 5_000;

export interface LeadershipOptions {
  lock: LeaderLock;
  logger: Logger;
  pollMs?: number;
  /** Starts the leader's work; called once per term. */
  onElected(): void | Promise<void>;
  /** Stops it; called when the lock is lost or on stop(). */
  onDeposed(): Promise<void>;
}

export interface Leadership {
  isLeader(): boolean;
  /** Stops polling, ends the term (onDeposed) and releases the lock; idempotent. */
  stop(): Promise<void>;
}

/** Resolves after the first attempt, so a replica alone on its database is the leader as soon as this returns. */
export async function startLeadership(opts: LeadershipOptions): Promise<Leadership> {
  const pollMs = opts.pollMs ?? DEFAULT_LEADER_POLL_MS;
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let announcedFollower = false;

  async function tick(): Promise<void> {
    if (!leader) {
      if (await opts.lock.tryAcquire()) {
        leader = true;
        opts.logger.info({ lock: opts.lock.describe }, 'this replica is the leader: running the scheduler');
        await opts.onElected();
      } else if (!announcedFollower) {
        announcedFollower = true;
        opts.logger.info(
          { lock: opts.lock.describe },
          'another process runs the scheduler on this database; this replica serves Slack only and takes over if it goes away',
        );
      }
    } else if (!(await opts.lock.stillHeld())) {
      leader = false;
      announcedFollower = false;
      opts.logger.warn({ lock: opts.lock.describe }, 'lost the scheduler lock: stopping the scheduler until it is regained');
      await opts.onDeposed();
    }
  }

  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      tick()
        .catch((error: unknown) => opts.logger.error({ err: (error as Error).message }, 'leader election failed'))
        .finally(loop);
    }, pollMs);
    timer.unref();
  };

  await tick().catch((error: unknown) => opts.logger.error({ err: (error as Error).message }, 'leader election failed'));
  loop();

  let stopping: Promise<void> | undefined;
  return {
    isLeader: () => leader,
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        if (leader) {
          leader = false;
          await opts.onDeposed();
        }
        await opts.lock.release();
      })()),
  };
}
