import { Writable } from 'node:stream';
import { pino } from 'pino';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { loadEnv } from '../../src/config/env.js';
import { periodSettings } from '../../src/metrics/context.js';
import type { Source } from '../../src/integrations/source.js';
import type { Runtime } from '../../src/runtime.js';
import { refreshCommand } from '../../src/cli/refresh.js';
import { etaText, formatDuration, progressLines, ProgressDisplay } from '../../src/cli/refresh-progress.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';

/**
 * The refresh progress bar: its text (days done per source, an ETA) as a pure function, and on a stand-in TTY a
 * refresh that draws it and a log line written during it that stays whole, on its own line.
 */

describe('the progress bar model', () => {
  it('shows days done of the window per source, with the time left at the rate so far', () => {
    const lines = progressLines(
      [
        { source: 'hubspot', done: 10, total: 30 },
        { source: 'zendesk', done: 30, total: 30 },
        { source: 'bill', done: 0, total: 7 },
      ],
      20_000,
      100,
    );
    expect(lines).toEqual([
      'hubspot [███████░░░░░░░░░░░░░] 10/30 days · ETA 40 s',
      'zendesk [████████████████████] 30/30 days · done',
      'bill    [░░░░░░░░░░░░░░░░░░░░] 0/7 days · ETA …',
    ]);
  });

  it('cuts a line to the terminal width, so a redraw never leaves half a wrapped line behind', () => {
    const [line] = progressLines([{ source: 'a_source_with_a_long_name', done: 1, total: 365 }], 1000, 40);
    expect(line).toHaveLength(39);
    expect(line!.endsWith('…')).toBe(true);
  });

  it('says durations the way people read them', () => {
    expect([formatDuration(400), formatDuration(59_600), formatDuration(185_000), formatDuration(3_720_000)]).toEqual([
      '0 s',
      '1 min 0 s',
      '3 min 5 s',
      '1 h 2 min',
    ]);
    expect(etaText(364, 365, 364 * 250)).toBe('ETA 0 s');
  });

  it('draws nothing before it is due: a quick refresh prints only its summary', () => {
    const tty = new FakeTty();
    const display = new ProgressDisplay(tty, { showAfterMs: 60_000 });
    display.update({ source: 'hubspot', day: '2026-11-01', done: 1, total: 7 });
    display.log('{"level":40,"msg":"a warning"}\n');
    display.stop();
    expect(tty.text).toBe('{"level":40,"msg":"a warning"}\n');
  });
});

/** A writable that says it is a terminal 60 columns wide, keeping everything written to it. */
class FakeTty extends Writable {
  readonly isTTY = true;
  readonly columns = 60;
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
  override write(chunk: string): boolean {
    // Synchronous, as a TTY write is, so the order of bar and log is exactly what was sent.
    this.text += chunk;
    return true;
  }
}

const ESC = '\u001b';
/** Terminal control sequences (cursor moves, clears) taken out, leaving what a reader sees line by line. */
const stripAnsi = (text: string) => text.replace(new RegExp(`${ESC}\\[\\d*[A-Za-z]`, 'g'), '');

const config = configSchema.parse({
  org: { name: 'Acme', timezone: 'America/New_York' },
  groups: [{ id: 'all', name: 'All', metrics: ['dials', 'meetings'] }],
  metrics: {
    dials: { name: 'Dials', unit: 'count', aggregate: 'sum', source: 'slowcrm', definition: 'd', why: 'w', calculation: 'c' },
    meetings: { name: 'Meetings', unit: 'count', aggregate: 'sum', source: 'slowcrm', definition: 'd', why: 'w', calculation: 'c' },
  },
});

/** One batch per day; halfway it logs a warning, as a source's HTTP client does on a retry. */
const slowCrm: Source = {
  id: 'slowcrm',
  name: 'Slow CRM',
  envVars: [],
  settingsSchema: z.object({}),
  querySchema: z.object({}),
  configured: () => true,
  async *collect(ctx, request) {
    let i = 0;
    for (let d = new Date(`${request.from}T00:00:00Z`); d.toISOString().slice(0, 10) <= request.to; d.setUTCDate(d.getUTCDate() + 1)) {
      const day = d.toISOString().slice(0, 10);
      if (i++ === 3) ctx.logger.warn({ request: 'GET /calls' }, 'retrying in 500 ms: slowcrm answered 503');
      yield request.metrics.map((m) => ({ metricId: m.id, day, value: 1 }));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  },
  check: async () => ({ ok: true, detail: 'ok' }),
};

describe.each(storeKinds())('scorecard refresh on a terminal (%s)', (kind) => {
  const temp = useTempStore(kind);
  const now = new Date('2026-11-16T15:00:00Z');
  const runtime = (logged: string[] = []): Runtime => ({
    config,
    configPath: 'scorecard.yml',
    env: loadEnv({}),
    rawEnv: {},
    store: temp.store,
    logger: pino({ level: 'info' }, { write: (line: string) => void logged.push(line) }),
    now: () => now,
    evalContext: (when) => ({ config, now: when ?? now, periods: periodSettings(config), isConnected: () => true }),
    close: async () => undefined,
  });

  it('draws the bar per source, and a log line written during it stays whole on its own line', async () => {
    const tty = new FakeTty();
    const out: string[] = [];
    // A default refresh (no --from/--to): the bar is not only for long ranges.
    const summary = await refreshCommand(runtime(), {}, undefined, {
      err: tty,
      out: (text) => void out.push(text),
      sources: [slowCrm],
      showProgressAfterMs: 0,
    });
    expect(summary.ok).toBe(true);
    const lines = stripAnsi(tty.text).split('\n');
    expect(lines).toContain('slowcrm [████████████████████] 7/7 days · done');
    expect(lines.some((l) => /^slowcrm \[[█░]{20}\] [1-6]\/7 days · ETA /.test(l))).toBe(true);
    const logged = lines.filter((l) => l.includes('retrying in 500 ms'));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ level: 40, msg: 'retrying in 500 ms: slowcrm answered 503', source: 'slowcrm' });
    // The bar (one line) was taken off before the log line: up one line, clear to the end, then the line.
    expect(tty.text).toContain(`${ESC}[1F${ESC}[0J{"level":40`);
    // The summary goes to stdout, apart from the bar.
    expect(out.join('')).toContain('slowcrm');
    expect(out.join('')).not.toContain('█');
  });

  it('keeps non-TTY output as it was: no bar, log lines straight to the logger', async () => {
    const plain = new FakeTty();
    Object.defineProperty(plain, 'isTTY', { value: false });
    const logged: string[] = [];
    const summary = await refreshCommand(runtime(logged), {}, undefined, {
      err: plain,
      out: () => undefined,
      sources: [slowCrm],
      showProgressAfterMs: 0,
    });
    expect(summary.ok).toBe(true);
    expect(plain.text).toBe('');
    expect(logged.filter((l) => l.includes('retrying in 500 ms'))).toHaveLength(1);
  });
});
