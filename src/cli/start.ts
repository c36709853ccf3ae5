import { openRuntime } from '../runtime.js';
import { runBot } from '../bot/start.js';
import { runtimeOptions, type GlobalOptions } from './common.js';

/**
 * `scorecard start`: the bot and the scheduler. Its own module so the CLI bundle leaves it out (see
 * scripts/bundle-cli.mjs): the bot runs on the compiled modules, whose worker threads load files beside them.
 */
export async function startCommand(globals: GlobalOptions): Promise<void> {
  // runBot owns the runtime from here: it closes the database after a clean shutdown on SIGTERM/SIGINT.
  const pollMs = Number(process.env.SCORECARD_LEADER_POLL_MS);
  await runBot({ runtime: await openRuntime(runtimeOptions(globals)), ...(pollMs > 0 ? { leaderPollMs: pollMs } : {}) });
}
