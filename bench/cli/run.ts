import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `scorecard metric cash` on the demo database, wall time side by side with a bare `node -e 0` (the floor of any
 * Node CLI on this machine), plus `scorecard --help`, `scorecard metric --help`, and `metric cash` with the config
 * cache off (SCORECARD_CONFIG_CACHE=off: what the first run after editing scorecard.yml costs). Runs alternate, so
 * all see the same load; medians compared.
 */

export interface CliBenchResult {
  runs: number;
  nodeMs: number;
  metricMs: number;
  helpMs: number;
  metricHelpMs: number;
  uncachedMs: number;
  ratio: number;
  helpRatio: number;
  metricHelpRatio: number;
  uncachedRatio: number;
}

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const bin = join(root, 'dist/src/cli/main.cjs');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const elapsed = performance.now() - t0;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return elapsed;
}

export async function runCliBench(runs = 15): Promise<CliBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'scorecard-cli-bench-'));
  const env = {
    PATH: process.env.PATH,
    SCORECARD_CONFIG: join(root, 'scorecard.example.yml'),
    SCORECARD_NOW: '2026-11-18T09:00:00-06:00',
    DATABASE_URL: `sqlite:${join(dir, 'demo.db')}`,
  };
  try {
    const seeded = spawnSync(process.execPath, [bin, 'demo', '--database', env.DATABASE_URL], { env, encoding: 'utf8' });
    if (seeded.status !== 0) throw new Error(`demo failed: ${seeded.stderr}`);
    const node: number[] = [];
    const metric: number[] = [];
    const help: number[] = [];
    const metricHelp: number[] = [];
    const uncached: number[] = [];
    const cacheOff = { ...env, SCORECARD_CONFIG_CACHE: 'off' };
    wallMs([bin, 'metric', 'cash'], env); // warm the OS file cache
    for (let i = 0; i < runs; i++) {
      node.push(wallMs(['-e', '0'], env));
      metric.push(wallMs([bin, 'metric', 'cash'], env));
      help.push(wallMs([bin, '--help'], env));
      metricHelp.push(wallMs([bin, 'metric', '--help'], env));
      uncached.push(wallMs([bin, 'metric', 'cash'], cacheOff));
    }
    const nodeMs = median(node);
    return {
      runs,
      nodeMs,
      metricMs: median(metric),
      helpMs: median(help),
      metricHelpMs: median(metricHelp),
      uncachedMs: median(uncached),
      ratio: median(metric) / nodeMs,
      helpRatio: median(help) / nodeMs,
      metricHelpRatio: median(metricHelp) / nodeMs,
      uncachedRatio: median(uncached) / nodeMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatCliBench(r: CliBenchResult): string {
  return [
    `CLI wall time, median of ${r.runs} alternating runs:`,
    `  node -e 0:                   ${r.nodeMs.toFixed(0)} ms`,
    `  scorecard metric cash (demo): ${r.metricMs.toFixed(0)} ms = ${r.ratio.toFixed(2)}× node -e 0 (target ≤ 3×)`,
    `  scorecard --help:             ${r.helpMs.toFixed(0)} ms = ${r.helpRatio.toFixed(2)}× node -e 0`,
    `  scorecard metric --help:      ${r.metricHelpMs.toFixed(0)} ms = ${r.metricHelpRatio.toFixed(2)}× node -e 0`,
    `  metric cash, config uncached: ${r.uncachedMs.toFixed(0)} ms = ${r.uncachedRatio.toFixed(2)}× node -e 0 (first run after a config edit)`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runCliBench().then((r) => console.log(formatCliBench(r)));
}
