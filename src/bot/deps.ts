import type { Runtime } from '../runtime.js';
import type { LocalDay } from '../metrics/types.js';
import { identityOf, type Identity } from './access.js';
import type { AnswerCache } from './answer/cache.js';
import type { EntryWriter, HomeRenderer, MetricAnswerer, ScorecardRenderer } from './answer/types.js';
import type { EvalContext } from '../metrics/context.js';

/** What every listener works with. `now` is separate from the runtime so tests can move the clock (undo window). */
import type { BotMetrics } from './metrics.js';

export interface BotDeps {
  runtime: Runtime;
  now(): Date;
  /** Slack user id → email from users.info, learnt when the Home tab opens; read later without a Slack call. */
  learntEmails: Map<string, string>;
  /** Answers `/metric` after the ack (a worker thread in production); inline until the app sets one up. */
  answerer: MetricAnswerer;
  /** Renders whole scorecards for `/scorecard` (its own worker thread in production, apart from `answerer`). */
  scorecards: ScorecardRenderer;
  /** Draws Home tabs (a third worker thread in production, its own queue); `views.publish` stays with the caller. */
  homes: HomeRenderer;
  /** Checks and stores `/log` submissions before their ack (a fourth worker thread in production). */
  entries: EntryWriter;
  /** Only on the answer thread, whose connection never writes (see answer-cache.ts). */
  answerCache?: AnswerCache;
  /**
   * Called after an entry is added, edited, undone or deleted, with the local days it touched: the scheduler updates
   * an already posted scorecard of those weeks in place. Fire and forget; never delays the listener's answer.
   */
  entriesChanged?: (days: LocalDay[]) => void;
  /**
   * Keeps work that outlives its listener (a `/metric` answer, a `/scorecard` render) known to shutdown, which waits
   * for it, and to tests' `idle()`. Returns the same promise.
   */
  track<T>(work: Promise<T>): Promise<T>;
  /** Latency histograms for /metrics (the main thread only). */
  metrics?: BotMetrics;
}

export function whoIs(deps: BotDeps, userId: string): Identity {
  return identityOf(deps.runtime.config, userId, deps.learntEmails.get(userId));
}

export function evalContextOf(deps: BotDeps): EvalContext {
  return deps.runtime.evalContext(deps.now());
}
