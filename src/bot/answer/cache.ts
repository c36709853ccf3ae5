import type { Config } from '../../config/schema.js';
import type { MetricAnswer } from '../../report/metric-answer.js';
import { findMetric, type MetricSearch } from '../../metrics/catalog.js';
import { changeToken, type Store } from '../../store/db.js';

/**
 * Memoises `/metric` answers on the answer thread, whose database connection only ever reads. The store's change
 * token (SQLite's `data_version`, Postgres's WAL position) changes whenever another connection (the bot's main
 * thread, the scheduler's refresh, a CLI run, another replica) commits, so a cached answer is dropped the moment
 * anything it could depend on may have changed; answers are
 * also keyed by the minute, since freshness and "this week so far" move with the clock.
 */

const MAX_ANSWERS = 500;
const MAX_QUERIES = 1000;

/** Undefined when the store can't tell (a read-only Postgres standby): then every ask computes afresh. */
export function dataVersionOf(store: Store): () => Promise<string | undefined> {
  return () => changeToken(store);
}

export class AnswerCache {
  private readonly answers = new Map<string, Promise<MetricAnswer>>();
  private readonly searches = new Map<string, MetricSearch>();
  private version: string | undefined;

  constructor(
    private readonly config: Config,
    private readonly dataVersion: () => Promise<string | undefined>,
  ) {}

  /** The catalog never changes while the bot runs, so a query always finds the same metric. */
  findMetric(query: string): MetricSearch {
    const key = query.trim().toLowerCase();
    let found = this.searches.get(key);
    if (!found) {
      if (this.searches.size >= MAX_QUERIES) this.searches.clear();
      found = findMetric(this.config, query);
      this.searches.set(key, found);
    }
    return found;
  }

  async answer(
    key: { metric: string; week: string; explicit: boolean; now: Date },
    compute: () => Promise<MetricAnswer>,
  ): Promise<MetricAnswer> {
    const version = await this.dataVersion();
    if (version === undefined || version !== this.version) {
      this.answers.clear();
      this.version = version;
    }
    const id = `${key.metric}|${key.week}|${key.explicit}|${Math.floor(key.now.getTime() / 60_000)}`;
    let answer = this.answers.get(id);
    if (!answer) {
      if (this.answers.size >= MAX_ANSWERS) this.answers.clear();
      answer = compute();
      this.answers.set(id, answer);
      // A failed read is not remembered: the next ask tries again.
      answer.catch(() => this.answers.delete(id));
    }
    return answer;
  }
}
