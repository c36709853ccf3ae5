import type { Config, Metric } from '../config/schema.js';
import type { Runtime } from '../runtime.js';
import { findMetric } from '../metrics/catalog.js';
import { metricAnswer } from '../report/queries.js';
import { renderMetricTerminal } from '../terminal/render.js';
import { printJson, resolveWeek, terminalOptions, UsageError } from './common.js';

/** The metrics `scorecard metric <query>` evaluates: the one it names, if any (`list` or a typo evaluates none). */
export function metricsAsked(config: Config, query: string): Metric[] {
  if (query === 'list') return [];
  const { match } = findMetric(config, query);
  return match ? [match] : [];
}

export async function metricCommand(rt: Runtime, query: string, opts: { period?: string; json?: boolean; wide?: boolean }): Promise<void> {
  const { match, suggestions } = findMetric(rt.config, query);
  if (!match) {
    const list = suggestions.map((m) => `  ${m.name} (${m.id})`).join('\n');
    throw new UsageError(
      suggestions.length
        ? `No metric matches "${query}". Did you mean:\n${list}\nTry: scorecard metric ${suggestions[0]!.id}`
        : `No metric matches "${query}". List them with: scorecard metric list`,
    );
  }
  const ctx = rt.evalContext();
  const { week, explicit } = resolveWeek(opts.period, ctx);
  const answer = await metricAnswer(rt.store, ctx, match, week, explicit);
  if (opts.json) printJson(answer);
  else process.stdout.write(`${renderMetricTerminal(answer, terminalOptions(ctx.now, opts.wide))}\n`);
}

export function listMetrics(rt: Runtime, opts: { json?: boolean } = {}): void {
  if (opts.json) {
    printJson({
      groups: rt.config.groups.map((group) => ({
        id: group.id,
        name: group.name,
        metrics: group.metrics.map((id) => {
          const m = rt.config.metrics[id]!;
          return {
            id,
            name: m.name,
            aliases: m.aliases,
            unit: m.unit,
            source: m.source,
            owner: m.owner ?? null,
            owner_name: m.owner_name ?? null,
          };
        }),
      })),
    });
    return;
  }
  const lines: string[] = [];
  for (const group of rt.config.groups) {
    lines.push(group.name);
    for (const id of group.metrics) {
      const m = rt.config.metrics[id]!;
      lines.push(`  ${id.padEnd(28)} ${m.name}${m.aliases.length ? ` (also: ${m.aliases.join(', ')})` : ''}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
