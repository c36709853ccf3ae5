import type { RefreshProgress } from '../integrations/refresh.js';

/**
 * The refresh progress bar: one line per source (days done of the window, and an ETA), drawn on a TTY below the
 * log. Log lines go through `log()`, which takes the bar away, writes the line whole, and draws the bar again, so
 * neither tears the other. The model (`progressLines`) is pure; `ProgressDisplay` only draws it.
 */

export interface SourceDays {
  source: string;
  done: number;
  total: number;
}

/** The stream it draws on: stderr, or a test's stand-in. */
export interface TtyStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR_WIDTH = 20;
/** A bar shows up only on a refresh still running after this long: a quick one prints its summary and nothing else. */
export const SHOW_AFTER_MS = 1_000;
/** Redraws at most this often; a source can report hundreds of batches a second. */
const REDRAW_MS = 100;
/** Move to column 1 of the line N lines up, then clear to the end of the screen. */
const up = (lines: number) => `\x1b[${lines}F\x1b[0J`;

/** "12 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * The time left at the rate so far (each source runs alongside the others from the start); unknown until a day
 * is done.
 */
export function etaText(done: number, total: number, elapsedMs: number): string {
  if (done >= total) return 'done';
  if (done <= 0 || elapsedMs <= 0) return 'ETA …';
  return `ETA ${formatDuration((elapsedMs / done) * (total - done))}`;
}

/** One line per source: `hubspot  [██████░░░░…] 12/30 days · ETA 45 s`, fitted to `width`. */
export function progressLines(sources: readonly SourceDays[], elapsedMs: number, width = 80): string[] {
  const nameWidth = Math.max(0, ...sources.map((s) => s.source.length));
  return sources.map(({ source, done, total }) => {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    const line = `${source.padEnd(nameWidth)} [${bar}] ${done}/${total} days · ${etaText(done, total, elapsedMs)}`;
    // A line wider than the terminal would wrap, and the redraw would then leave its first half behind.
    return line.length < width ? line : `${line.slice(0, Math.max(1, width - 2))}…`;
  });
}

export class ProgressDisplay {
  private readonly sources = new Map<string, SourceDays>();
  private readonly startedAt: number;
  private shown = 0;
  private visible = false;
  private stopped = false;
  private lastDraw = 0;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(
    private readonly stream: TtyStream,
    opts: { showAfterMs?: number; now?: () => number } = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
    const after = opts.showAfterMs ?? SHOW_AFTER_MS;
    if (after <= 0) this.visible = true;
    else {
      this.timer = setTimeout(() => {
        this.visible = true;
        this.draw();
      }, after);
      this.timer.unref();
    }
  }

  update(progress: RefreshProgress): void {
    this.sources.set(progress.source, { source: progress.source, done: progress.done, total: progress.total });
    if (this.visible && this.now() - this.lastDraw >= REDRAW_MS) this.draw();
  }

  /** A log line (pino's JSON, newline included): written whole, above the bar. */
  log(line: string): void {
    if (this.stopped || !this.visible) {
      this.stream.write(line);
      return;
    }
    this.stream.write(`${this.clearText()}${line.endsWith('\n') ? line : `${line}\n`}`);
    this.shown = 0;
    this.draw();
  }

  /** Draws the final state (when the bar was showing) and leaves it; later output goes below it. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.visible && !this.stopped) this.draw();
    this.stopped = true;
  }

  private clearText(): string {
    return this.shown > 0 ? up(this.shown) : '';
  }

  private draw(): void {
    if (this.stopped) return;
    const lines = progressLines([...this.sources.values()], this.now() - this.startedAt, this.stream.columns ?? 80);
    if (lines.length === 0 && this.shown === 0) return;
    this.stream.write(`${this.clearText()}${lines.map((l) => `${l}\n`).join('')}`);
    this.shown = lines.length;
    this.lastDraw = this.now();
  }
}
