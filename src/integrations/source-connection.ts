import type { Metric } from '../config/schema.js';
import type { Env } from './source.js';

/**
 * Whether a source's credentials are in the environment: the part of a `Source` that commands showing metrics need.
 * Each source folder defines it in `connection.ts`, which reads env vars only, so asking "is SimpleFIN connected?"
 * loads neither zod nor an HTTP client (tests/integrations/connections.test.ts keeps it so). Types only here.
 */
export interface SourceConnection {
  /** True when the credentials are present; a source that is not configured is skipped and its metrics show "not connected". */
  configured(env: Env): boolean;
  /**
   * For sources with several APIs and credential sets (Datto BCDR and RMM): whether this metric's credentials are
   * present. Without it a metric is connected when the source is `configured`.
   */
  configuredFor?(env: Env, metric: Metric): boolean;
}
