import type { Metric } from '../../config/schema.js';
import { errorMessage } from '../../errors.js';
import { SourceError } from '../errors.js';
import type { FailedMetric } from '../source.js';

/**
 * Failures that concern part of a HubSpot run (some metrics, the quarter summary) rather than the whole source:
 * HubSpot answered 4xx for that call, or a body we cannot read. Auth, rate limits and outages stop the whole source
 * and are thrown on.
 */
export function isMetricScoped(error: unknown): error is SourceError {
  return error instanceof SourceError && (error.errorClass === 'config' || error.errorClass === 'bad_response');
}

/** The stored failure: its class, and the message without the "hubspot: config: " prefix the class already says. */
export function failureOf(error: SourceError): FailedMetric['failure'] {
  const prefix = `${error.source}: ${error.errorClass}: `;
  const message = errorMessage(error);
  return { errorClass: error.errorClass, message: message.startsWith(prefix) ? message.slice(prefix.length) : message };
}

/** Runs a prerequisite of `metrics`; a metric-scoped failure fails those metrics (recorded) and yields `fallback`. */
export async function forMetrics<T>(metrics: Metric[], failed: FailedMetric[], fallback: T, run: () => Promise<T>): Promise<T> {
  if (metrics.length === 0) return fallback;
  try {
    return await run();
  } catch (error) {
    if (!isMetricScoped(error)) throw error;
    for (const metric of metrics) failed.push({ metricId: metric.id, failure: failureOf(error) });
    return fallback;
  }
}
