import type { Config } from '../config/schema.js';
import { CORE_SOURCE_SETTINGS } from '../config/validate-sources.js';
import { SourceError } from './errors.js';

/**
 * Each source run's overall deadline, on top of the per-call timeout: a hung or endlessly retrying source is
 * abandoned at the deadline and recorded as `unavailable`, while the other sources finish normally.
 */

/** `sources.<id>.deadline_seconds` (default 60): the most one source run may take, whatever its calls do. */
export const DEFAULT_SOURCE_DEADLINE_SECONDS = 60;

export function sourceDeadlineMs(config: Config, id: string): number {
  const seconds = config.sources[id]?.deadline_seconds;
  return (typeof seconds === 'number' && seconds > 0 ? seconds : DEFAULT_SOURCE_DEADLINE_SECONDS) * 1000;
}

/** The longest any configured source may run: a `running` row older than this (plus a margin) was interrupted. */
export function longestDeadlineMs(config: Config): number {
  return Math.max(DEFAULT_SOURCE_DEADLINE_SECONDS * 1000, ...Object.keys(config.sources).map((id) => sourceDeadlineMs(config, id)));
}

/** The source sees its own settings only: the keys the refresh itself handles are taken out. */
export function withoutCoreSettings(config: Config, id: string): Config {
  const settings = config.sources[id];
  if (!settings || !(CORE_SOURCE_SETTINGS as readonly string[]).some((key) => key in settings)) return config;
  const own = Object.fromEntries(Object.entries(settings).filter(([key]) => !(CORE_SOURCE_SETTINGS as readonly string[]).includes(key)));
  return { ...config, sources: { ...config.sources, [id]: own } };
}

/**
 * The source's batches until the deadline; then the run is abandoned with `unavailable`, even when the source is
 * stuck somewhere the abort signal does not reach. Its HTTP calls are aborted by the same signal (http.ts).
 */
export async function* withinDeadline<T>(
  batches: AsyncIterable<T>,
  signal: AbortSignal,
  source: string,
  deadlineMs: number,
): AsyncGenerator<T> {
  const iterator = batches[Symbol.asyncIterator]();
  const expired = new Promise<'expired'>((resolve) =>
    signal.aborted ? resolve('expired') : signal.addEventListener('abort', () => resolve('expired'), { once: true }),
  );
  for (;;) {
    const next = await Promise.race([iterator.next(), expired]);
    if (next === 'expired') {
      // Not awaited: a generator stuck in a call cannot return until that call ends.
      void iterator.return?.(undefined)?.catch(() => undefined);
      throw new SourceError('unavailable', source, `no result within the ${deadlineMs / 1000} s deadline; the run was abandoned`);
    }
    if (next.done) return;
    yield next.value;
  }
}
