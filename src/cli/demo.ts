import { rmSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openRuntime } from '../runtime.js';
import { seedDemo } from '../integrations/sample/demo.js';
import { syncStateFor } from '../store/sync-state.js';
import { renderDigest } from './digest.js';
import { printJson, runtimeOptions, type GlobalOptions } from './common.js';
import { terminalWidth, wrap } from '../terminal/width.js';

/**
 * `scorecard demo`: a database of its own, rebuilt from the deterministic sample on every run, then the weekly
 * scorecard and both daily digests. Needs no credentials; two runs with the same --now print the same bytes.
 */
export async function demoCommand(global: GlobalOptions, opts: { database?: string; json?: boolean; wide?: boolean }): Promise<void> {
  const file = resolve(opts.database ?? process.env.DEMO_DATABASE ?? './data/demo.db');
  mkdirSync(dirname(file), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });

  const rt = await openRuntime(runtimeOptions(global, { databaseUrl: `sqlite:${file}`, allConnected: true }));
  try {
    const summary = await seedDemo(rt.store, rt.config, {
      config: rt.config,
      env: rt.rawEnv,
      logger: rt.logger,
      state: syncStateFor(rt.store, rt.now),
      now: rt.now(),
      stats: { calls: 0, rateLimited: 0 },
    });
    const outputs = [];
    for (const kind of ['weekly', 'cash', 'support'] as const)
      outputs.push(await renderDigest(rt, kind, { json: opts.json, wide: opts.wide }));
    if (opts.json) {
      printJson({ demo: { database: file, ...summary }, weekly: outputs[0], cash: outputs[1], support: outputs[2] });
      return;
    }
    const intro =
      `Demo database ${file}: ${summary.values} daily values and ${summary.entries} manual entries, ${summary.from} → ${summary.to}` +
      `${summary.gapWeek ? `; ${summary.gapWeek} is missing for one group` : ''}${summary.staleSource ? `; ${summary.staleSource} stopped refreshing ${summary.staleDays} days ago` : ''}.`;
    const width = opts.wide ? null : terminalWidth(process.stdout, process.env);
    process.stdout.write(`${(width ? wrap(intro, width) : [intro]).join('\n')}\n\n`);
    process.stdout.write(`${outputs.join('\n\n')}\n`);
  } finally {
    await rt.close();
  }
}
