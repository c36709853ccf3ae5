import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../../src/config/index.js';
import type { Env } from '../../src/integrations/source.js';

/**
 * The commented-out metrics of one `# ── Customer health: …` (or similar) section of scorecard.example.yml, uncommented
 * and parsed, so the tests run the very examples a customer would uncomment.
 */
export interface ExampleMetric {
  name: string;
  unit: 'count' | 'currency' | 'percent' | 'hours' | 'days';
  aggregate: 'sum' | 'last' | 'ratio';
  source: string;
  query: Record<string, unknown>;
  [key: string]: unknown;
}

export function commentedExampleMetrics(sectionTitle: string): Record<string, ExampleMetric> {
  const lines = readFileSync(path.join(packageRoot(), 'scorecard.example.yml'), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('  # ── ') && line.includes(sectionTitle));
  if (start < 0) throw new Error(`no section "${sectionTitle}" in scorecard.example.yml`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  #')) break;
    // Metric keys sit at "  # id:", their fields at "  #   field:"; prose lines have other indents.
    if (/^ {2}# [a-z0-9_]+:\s*$/.test(line) || /^ {2}# {3,}\S/.test(line)) body.push(line.replace(/^ {2}# /, ''));
  }
  return parse(body.join('\n')) as Record<string, ExampleMetric>;
}

/** Harness metric specs (`query`, `unit`, `aggregate`) for those examples. */
export function harnessMetrics(examples: Record<string, ExampleMetric>) {
  return Object.fromEntries(
    Object.entries(examples).map(([id, metric]) => [id, { query: metric.query, unit: metric.unit, aggregate: metric.aggregate }]),
  );
}

export type { Env };
