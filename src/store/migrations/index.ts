import type { Migration } from 'kysely';
import { initial } from './0001_initial.js';
import { metricFailures } from './0008_metric_failures.js';

/**
 * Every migration, keyed by its name; Kysely applies them in name order and records each once.
 * Add a new one as `0002_<what>.ts` and list it here — never edit or rename one that has shipped.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0008_metric_failures': metricFailures,
};
