import { rmSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openRuntime } from '../runtime.js';
import { seedDemo } from '../integrations/sample/demo.js';
import { getSyncState, setSyncState, syncStateFor } from '../store/sync-state.js';
import { countDailyValues } from '../store/daily-values.js';
import { listAudit } from '../store/audit.js';
import { emptyDatabase } from '../store/copy.js';
import type { Runtime } from '../runtime.js';
import { renderDigest } from './digest.js';
import { printJson, runtimeOptions, UsageError, type GlobalOptions } from './common.js';
import { terminalWidth, wrap } from '../terminal/width.js';

/**
 * `scorecard demo`: a database of its own, rebuilt from the deterministic sample on every run, then the weekly
 * scorecard and both daily digests. Needs no credentials; two runs with the same --now print the same bytes.
 */
export async function demoCommand(global: GlobalOptions, opts: { database?: string; json?: boolean; wide?: boolean }): Promise<void> {
  const target = opts.database ?? process.env.DEMO_DATABASE ?? postgresDatabaseUrl() ?? './data/demo.db';
  const postgres = /^postgres(ql)?:/i.test(target);
  const file = postgres ? undefined : resolve(target.replace(/^sqlite:/, ''));
  if (file !== undefined) {
    mkdirSync(dirname(file), { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }

  const rt = await openRuntime(runtimeOptions(global, { databaseUrl: file === undefined ? target : `sqlite:${file}`, allConnected: true }));
  if (postgres)
    await resetPostgresDemo(rt).catch(async (error: unknown) => {
      await rt.close();
      throw error;
    });
  const database = file ?? rt.store.location;
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
      printJson({ demo: { database, ...summary }, weekly: outputs[0], cash: outputs[1], support: outputs[2] });
      return;
    }
    const intro =
      `Demo database ${database}: ${summary.values} daily values and ${summary.entries} manual entries, ${summary.from} → ${summary.to}` +
      `${summary.gapWeek ? `; ${summary.gapWeek} is missing for one group` : ''}${summary.staleSource ? `; ${summary.staleSource} stopped refreshing ${summary.staleDays} days ago` : ''}.`;
    const width = opts.wide ? null : terminalWidth(process.stdout, process.env);
    process.stdout.write(`${(width ? wrap(intro, width) : [intro]).join('\n')}\n\n`);
    process.stdout.write(`${outputs.join('\n\n')}\n`);
  } finally {
    await rt.close();
  }
}

/** With DATABASE_URL on Postgres, the demo fills that database (a file path there would mean nothing). */
function postgresDatabaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url !== undefined && /^postgres(ql)?:/i.test(url.trim()) ? url.trim() : undefined;
}

const DEMO_MARKER = 'demo:database';

/**
 * A Postgres database is emptied before seeding, as the SQLite demo file is deleted: only when it is empty or a
 * previous demo, never a database holding real figures.
 */
async function resetPostgresDemo(rt: Runtime): Promise<void> {
  const isDemo = (await getSyncState(rt.store, DEMO_MARKER)) !== undefined;
  if (!isDemo && (await countDailyValues(rt.store)) + (await listAudit(rt.store, { limit: 1 })).length > 0) {
    throw new UsageError(`${rt.store.location} already holds figures that are not the demo's; point the demo at an empty database`);
  }
  await emptyDatabase(rt.store);
  await setSyncState(rt.store, DEMO_MARKER, 'scorecard demo', rt.now());
}
