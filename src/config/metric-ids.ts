import type { Config, Metric } from './schema.js';

/**
 * Catalog metrics with their ids: `config.metrics` is keyed by id, the rest of the code passes `Metric`s around.
 * The loader checks every id a group or digest lists, so an unknown id here is a bug and throws.
 */
export function metricWithId(config: Config, id: string): Metric {
  const metric = Object.hasOwn(config.metrics, id) ? config.metrics[id] : undefined;
  if (!metric) throw new Error(`unknown metric "${id}"`);
  return { ...metric, id };
}

/** The metrics with these ids (every metric, in config order, by default). */
export function metricsWithIds(config: Config, ids: readonly string[] = Object.keys(config.metrics)): Metric[] {
  return ids.map((id) => metricWithId(config, id));
}
