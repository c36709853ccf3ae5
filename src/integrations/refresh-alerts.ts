import type { Metric } from '../config/schema.js';
import type { RefreshErrorClass } from './refresh.js';
import type { Source } from './source.js';

/** The ops-channel texts of source health: one alert after repeated failures, one message on recovery. */

const MEANING: Record<RefreshErrorClass, string> = {
  auth: 'the credentials were rejected or revoked — reconnect it or update its credentials',
  rate_limited: 'it hit its API rate limit or quota',
  unavailable: 'the service could not be reached or kept answering with server errors',
  bad_response: 'it answered with data the bot does not understand (an API change?)',
  config: 'it refused the request as invalid — check its settings in scorecard.yml',
  internal: 'the bot hit an unexpected error while reading it',
};

function metricNames(metrics: Metric[]): string {
  const names = metrics.map((metric) => metric.name);
  return names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
}

export function alertText(source: Source, errorClass: RefreshErrorClass, error: string, failures: number, metrics: Metric[]): string {
  return [
    `:rotating_light: *${source.name}* has failed ${failures} refreshes in a row (${errorClass}): ${MEANING[errorClass]}.`,
    `Its metrics (${metricNames(metrics)}) show their last good values, marked stale, until it recovers.`,
    `Last error: ${error.slice(0, 300)}`,
  ].join('\n');
}

export function recoveryText(source: Source, metrics: Metric[]): string {
  return `:white_check_mark: *${source.name}* is refreshing again; its metrics (${metricNames(metrics)}) are current.`;
}
