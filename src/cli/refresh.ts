import type { Runtime } from '../runtime.js';
import { refresh, formatRefreshSummary, type RefreshSummary } from '../integrations/refresh.js';
import { REFRESH_SOURCES } from '../integrations/registry.js';
import type { Source } from '../integrations/source.js';
import { createLogger } from '../logger.js';
import { UsageError } from './common.js';
import { ProgressDisplay, type TtyStream } from './refresh-progress.js';

export interface RefreshOptions {
  source?: string[];
  from?: string;
  to?: string;
  /** Re-collect the range only (no modification-cursor corrections of older days). */
  full?: boolean;
}

/** Where the command writes, and what it refreshes; tests pass their own. */
export interface RefreshIo {
  /** The progress bar and log lines go here (default stderr); the bar only when it is a TTY. */
  err?: TtyStream;
  out?: (text: string) => void;
  sources?: readonly Source[];
  /** Default 1 s: the bar appears only on a refresh still running by then. */
  showProgressAfterMs?: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `scorecard refresh`: collect, upsert, record. On a TTY, a refresh running longer than a second gets a progress bar
 * (days done per source, ETA), with log lines written above it rather than through it.
 */
export async function refreshCommand(
  rt: Runtime,
  opts: RefreshOptions,
  notify?: (text: string) => Promise<void>,
  io: RefreshIo = {},
): Promise<RefreshSummary> {
  const sources = io.sources ?? REFRESH_SOURCES;
  for (const id of opts.source ?? []) {
    if (!sources.some((s) => s.id === id)) throw new UsageError(`unknown source "${id}" — known: ${sources.map((s) => s.id).join(', ')}`);
  }
  for (const [flag, value] of [
    ['--from', opts.from],
    ['--to', opts.to],
  ] as const) {
    if (value && !DAY.test(value)) throw new UsageError(`${flag} must be a date like 2026-11-01 — got "${value}"`);
  }
  if (opts.from && opts.to && opts.from > opts.to) throw new UsageError(`--from ${opts.from} is after --to ${opts.to}`);

  const err = io.err ?? process.stderr;
  const display = err.isTTY ? new ProgressDisplay(err, { showAfterMs: io.showProgressAfterMs }) : undefined;
  // Log lines go through the display, which lifts the bar off, writes the line whole and draws the bar again.
  const logger = display ? createLogger(rt.logger.level, { write: (line: string) => display.log(line) }) : rt.logger;
  let summary: RefreshSummary;
  try {
    summary = await refresh(
      { store: rt.store, config: rt.config, env: rt.rawEnv, logger, now: rt.now(), sources: [...sources], notify },
      {
        sourceIds: opts.source,
        from: opts.from,
        to: opts.to,
        full: opts.full,
        ...(display ? { onProgress: (p) => display.update(p) } : {}),
      },
    );
  } finally {
    display?.stop();
  }
  (io.out ?? ((text) => void process.stdout.write(text)))(`${formatRefreshSummary(summary)}\n`);
  return summary;
}
