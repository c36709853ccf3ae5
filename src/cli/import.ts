import { readFileSync } from 'node:fs';
import type { Runtime } from '../runtime.js';
import { parseAdSpendCsv } from '../integrations/import/ad-spend.js';
import { upsertDailyValues } from '../store/daily-values.js';
import { appendAudit } from '../store/audit.js';
import { formatValue } from '../metrics/format.js';
import { UsageError } from './common.js';
import { localDayOf } from '../metrics/periods.js';

/** `scorecard import ad-spend <file.csv>`: daily spend totals into the `ad_spend` metric; re-importing a day replaces it. */
export async function importAdSpend(rt: Runtime, file: string, opts: { metric: string }): Promise<void> {
  const metric = rt.config.metrics[opts.metric];
  if (!metric)
    throw new UsageError(
      `no metric "${opts.metric}" in ${rt.configPath}; add one (see ad_spend in scorecard.example.yml) or pass --metric`,
    );
  if (metric.unit !== 'currency') throw new UsageError(`${opts.metric} has unit ${metric.unit}; ad spend needs a currency metric`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`can't read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const parsed = parseAdSpendCsv(text, { today: localDayOf(rt.now(), rt.config.org.timezone) });
  if (!parsed.ok) throw new UsageError(`Nothing was imported from ${file}:\n${parsed.errors.map((e) => `  ${e}`).join('\n')}`);
  const now = rt.now();
  await upsertDailyValues(
    rt.store,
    parsed.days.map((d) => ({
      metric_id: opts.metric,
      day: d.day,
      value: d.spend,
      numerator: null,
      denominator: null,
      source: 'import',
      fetched_at: now.toISOString(),
      warnings: null,
    })),
  );
  await appendAudit(
    rt.store,
    { actor: 'cli', action: 'import.ad_spend', subject: opts.metric, detail: { file, rows: parsed.rows, days: parsed.days.length } },
    now,
  );
  const total = parsed.days.reduce((sum, d) => sum + d.spend, 0);
  const range = parsed.days.length ? `${parsed.days[0]!.day} → ${parsed.days[parsed.days.length - 1]!.day}` : 'no days';
  process.stdout.write(
    `Imported ${parsed.rows} rows: ${formatValue(total, 'currency')} over ${parsed.days.length} days (${range}) into ${opts.metric}.\n`,
  );
}
