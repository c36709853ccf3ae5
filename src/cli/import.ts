import { errorMessage } from '../errors.js';
import { readFileSync } from 'node:fs';
import type { Runtime } from '../runtime.js';
import { parseAdSpendCsv } from '../integrations/import/ad-spend.js';
import { normaliseChannel, writeChannelSpend } from '../store/ad-spend-channels.js';
import { appendAudit } from '../store/audit.js';
import { formatValue } from '../metrics/format.js';
import { localDayOf } from '../metrics/periods.js';
import { UsageError } from './common.js';

/**
 * `scorecard import ad-spend <file.csv>`: spend per channel and day into the `ad_spend` metric, whose daily value is
 * the sum of its channels (Meta Ads and Google Ads fetch theirs as channels `meta` and `google`). Re-importing a day
 * replaces that day's imported channels; a channel also fetched by an API source is replaced, never added twice.
 */
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
    throw new UsageError(`can't read ${file}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`);
  }
  const parsed = parseAdSpendCsv(text, { today: localDayOf(rt.now(), rt.config.org.timezone) });
  if (!parsed.ok) throw new UsageError(`Nothing was imported from ${file}:\n${parsed.errors.map((e) => `  ${e}`).join('\n')}`);
  const now = rt.now();
  // One channel name may be spelled several ways in one file ("Facebook", "Meta"): fold before replacing.
  const merged = new Map<string, { day: string; channel: string; cents: number }>();
  for (const entry of parsed.byChannel) {
    const channel = normaliseChannel(entry.channel);
    const key = `${entry.day}\n${channel}`;
    const row = merged.get(key) ?? { day: entry.day, channel, cents: 0 };
    row.cents += Math.round(entry.spend * 100);
    merged.set(key, row);
  }
  await writeChannelSpend(
    rt.store,
    [...merged.values()].map((row) => ({
      metric_id: opts.metric,
      day: row.day,
      channel: row.channel,
      amount: row.cents / 100,
      currency: 'USD',
      source: 'import',
      fetched_at: now.toISOString(),
    })),
    { replaceSource: 'import' },
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
