import { openStore, type Store } from '../store/db.js';
import { copyDatabase } from '../store/copy.js';
import { UsageError } from './common.js';

/** `scorecard db copy --from <url> --to <url>`: prints a line per table, fails when any row count differs. */
export async function dbCopyCommand(
  opts: { from: string; to: string },
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
) {
  if (opts.from.trim() === opts.to.trim()) throw new UsageError('--from and --to are the same database');
  const stores: Store[] = [];
  try {
    const from = await openStore(opts.from);
    stores.push(from);
    const to = await openStore(opts.to);
    stores.push(to);
    out(`Copying ${from.location} → ${to.location}`);
    const report = await copyDatabase(from, to, out);
    out(`Done: ${report.length} tables, ${report.reduce((n, r) => n + r.source, 0)} rows; every table's row count matches.`);
  } finally {
    for (const store of stores) await store.close();
  }
}
