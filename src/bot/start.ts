import { errorMessage } from '../errors.js';
import type { AddressInfo } from 'node:net';
import type { WebClient } from '@slack/web-api';
import type { Runtime } from '../runtime.js';
import { createSlackClient } from '../slack/client.js';
import { startScheduler, type Scheduler } from '../jobs/scheduler.js';
import { startLeadership } from '../jobs/leader.js';
import { openLeaderLock } from '../store/leader-lock.js';
import { closeInterruptedRuns, refresh } from '../integrations/refresh.js';
import { safeErrorText } from './socket-receiver.js';
import { REFRESH_SOURCES } from '../integrations/registry.js';
import { opsNotifier } from '../jobs/ops-alerts.js';
import { createBotApp, type BotMode } from './app.js';

/** How long shutdown waits for listeners still working after their ack before closing the database anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface StartBotOptions {
  runtime: Runtime;
  /** Default PORT (3000). 0 picks a free port (tests). */
  port?: number;
  /** Run the digest scheduler too (default true); tests of the listeners alone turn it off. */
  scheduler?: boolean;
  /** The clock listeners use (defaults to the runtime's). */
  now?: () => Date;
  /** How often a follower tries the scheduler lock (default 5 s; SCORECARD_LEADER_POLL_MS). */
  leaderPollMs?: number;
}

export interface RunningBot {
  /** Stops taking requests, lets listeners and scheduled jobs finish (bounded), then returns; idempotent. */
  stop(): Promise<void>;
  /** The port /slack/events (HTTP mode) and /healthz listen on. */
  port: number;
  mode: BotMode;
  /** Resolves once no listener work is running (true), or false after `timeoutMs`. */
  idle(timeoutMs?: number): Promise<boolean>;
  /** Whether this replica holds the scheduler lock (see jobs/leader.ts). */
  isLeader(): boolean;
}

/**
 * The scheduled refresh: every configured source (the built-in sample only feeds the demo), with failure and
 * recovery alerts to the ops channel when one is configured.
 */
function scheduledRefresh(runtime: Runtime, client: WebClient): () => Promise<unknown> {
  const notify = opsNotifier(runtime.config, client);
  return () =>
    refresh({
      store: runtime.store,
      config: runtime.config,
      env: runtime.rawEnv,
      logger: runtime.logger,
      now: runtime.now(),
      sources: REFRESH_SOURCES,
      ...(notify ? { notify } : {}),
    });
}

/** `scorecard start`: the Bolt app (Socket Mode or HTTP) and the scheduler. The caller owns the runtime. */
export async function startBot(opts: StartBotOptions): Promise<RunningBot> {
  const { runtime } = opts;
  const requestedPort = opts.port ?? runtime.env.PORT;
  const interrupted = await closeInterruptedRuns(runtime.store, runtime.config, runtime.now());
  if (interrupted > 0) runtime.logger.warn({ runs: interrupted }, 'closed source runs a stopped process left running, as interrupted');
  const bot = await createBotApp({ runtime, port: requestedPort, ...(opts.now ? { now: opts.now } : {}) });
  const started: unknown = await bot.app.start(requestedPort);
  const address = bot.settings.mode === 'http' ? (started as { address(): AddressInfo | string | null }).address() : null;
  const port = address && typeof address === 'object' ? address.port : requestedPort;
  // Digests are not interactive: their own client, with a longer retry policy and its own rate-limit queue.
  const digestClient = createSlackClient({
    token: bot.settings.botToken,
    logger: runtime.logger,
    ...(bot.settings.apiUrl ? { apiUrl: bot.settings.apiUrl } : {}),
  });
  let scheduler: Scheduler | null = null;
  // A late /log entry updates an already posted scorecard now, not at the next refresh (on the leader; a follower's
  // entries are picked up by the leader's next refresh).
  bot.deps.entriesChanged = (days) => {
    for (const day of days)
      void scheduler
        ?.updatePosted(day)
        .catch((error: unknown) =>
          runtime.logger.warn({ err: errorMessage(error), day }, 'updating a posted digest after an entry change failed'),
        );
  };
  const leadership =
    opts.scheduler === false
      ? null
      : await startLeadership({
          lock: await openLeaderLock(runtime.store),
          logger: runtime.logger,
          ...(opts.leaderPollMs !== undefined ? { pollMs: opts.leaderPollMs } : {}),
          onElected: () => {
            scheduler = startScheduler({ runtime, client: digestClient, refresh: scheduledRefresh(runtime, digestClient) });
          },
          onDeposed: async () => {
            const ending = scheduler;
            scheduler = null;
            await ending?.stop();
          },
        });
  bot.leader.isLeader = () => leadership?.isLeader() ?? false;
  runtime.logger.info(
    { mode: bot.settings.mode, port, answers: bot.deps.answerer.where },
    `Scorecard bot is running (${bot.settings.mode === 'socket' ? 'Socket Mode' : `HTTP on port ${port}, /slack/events`}; /healthz, /livez, /metrics)`,
  );

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await bot.app
        .stop()
        .catch((error: unknown) => runtime.logger.warn({ err: errorMessage(error) }, 'stopping the Slack receiver failed'));
      const [drained] = await Promise.all([bot.inFlight.idle(SHUTDOWN_GRACE_MS), leadership?.stop()]);
      if (!drained) runtime.logger.warn({ pending: bot.inFlight.size }, 'shutdown: abandoning Slack listeners still running');
      await Promise.all([bot.deps.answerer.close(), bot.deps.scorecards.close(), bot.deps.homes.close(), bot.deps.entries.close()]);
    })());

  return {
    stop,
    port,
    mode: bot.settings.mode,
    idle: (timeoutMs) => bot.inFlight.idle(timeoutMs),
    isLeader: () => leadership?.isLeader() ?? false,
  };
}

/**
 * Runs until SIGTERM or SIGINT, then shuts down cleanly and closes the database. A second signal during
 * shutdown gets Node's default behaviour (exit), for an operator who does not want to wait.
 */
export async function runBot(opts: StartBotOptions & { signals?: Pick<NodeJS.EventEmitter, 'on' | 'off'> }): Promise<void> {
  const signals = opts.signals ?? process;
  // Anything a library drops (a rejected reconnect, say) is logged here, message only and tokens masked, instead of
  // Node's crash dump, which prints the failed request with its Authorization header.
  const onRejection = (reason: unknown) => opts.runtime.logger.error({ err: safeErrorText(reason) }, 'unhandled rejection; still running');
  process.on('unhandledRejection', onRejection);
  const bot = await startBot(opts).catch((error: unknown) => {
    process.off('unhandledRejection', onRejection);
    throw error;
  });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (received: NodeJS.Signals) => {
      signals.off('SIGTERM', onSignal);
      signals.off('SIGINT', onSignal);
      resolve(received);
    };
    signals.on('SIGTERM', onSignal);
    signals.on('SIGINT', onSignal);
  });
  opts.runtime.logger.info({ signal }, 'shutting down: no new requests, finishing work in progress');
  try {
    await bot.stop();
  } finally {
    await opts.runtime.close();
    process.off('unhandledRejection', onRejection);
  }
  opts.runtime.logger.info('stopped');
}
