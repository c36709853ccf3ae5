import { metricsWithIds } from './metric-ids.js';
import { ConfigError, describeValue, formatPath, type PendingProblem, type Problem } from './errors.js';
import { readConfigFile, type ConfigFileOptions } from './file.js';
import { configSchema, type Config, type Metric, type Unit } from './schema.js';
import { validateConfig } from './validate.js';
import { applySourceDefaults, type SourceSchemas } from './validate-sources.js';
import { isRecord } from './validate-goals.js';
import { parseYaml } from './yaml-document.js';
import { problemsFromIssues } from './zod-issues.js';

export { packageRoot, resolveConfigPath, type ResolvedConfigPath } from './file.js';

export interface LoadConfigOptions extends SourceSchemas, ConfigFileOptions {}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file that was loaded. */
  path: string;
  /** Every metric with its id, in catalog order. */
  metrics: Metric[];
}

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const file = readConfigFile(options);
  return parseConfigText(file.text, file.displayName, file.path, options);
}

/** Parses and validates config text; `displayName` is what problems are reported under. */
export function parseConfigText(text: string, displayName: string, filePath: string, schemas: SourceSchemas = {}): LoadedConfig {
  const parsed = parseYaml(text);
  const pending: PendingProblem[] = [...parsed.problems];
  const data = parsed.data;

  if (parsed.data !== undefined) {
    if (!isRecord(data)) {
      pending.push({
        at: [],
        expected: 'a mapping with org, groups and metrics',
        found: data === null ? 'an empty file' : describeValue(data),
      });
    } else {
      const result = configSchema.safeParse(data);
      if (!result.success) pending.push(...problemsFromIssues(result.error.issues, { schema: configSchema, input: data, prefix: [] }));
      pending.push(...validateConfig(data, schemas));
    }
  }

  const problems = locate(pending, parsed.positionOf);
  if (problems.length > 0) throw new ConfigError(displayName, problems);

  const config = configSchema.parse(data);
  config.org.timezone = canonicalTimeZone(config.org.timezone);
  fillManualEntryBounds(config, isRecord(data) ? data : {});
  applySourceDefaults(config, schemas);
  const metrics = metricsWithIds(config);
  return { config, path: filePath, metrics };
}

function locate(pending: PendingProblem[], positionOf: ReturnType<typeof parseYaml>['positionOf']): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const { at, atKey, line, column, meant: _meant, missing: _missing, ...rest } of pending) {
    const position = line !== undefined ? { line, column: column ?? 1 } : positionOf(at, atKey);
    const problem: Problem = { path: formatPath(at), ...rest, ...position };
    const key = `${problem.path}|${problem.message ?? `${problem.expected}|${problem.found}`}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  // Document order reads best; problems without a position (rare) go last. Array.sort is stable.
  return problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
}

/** `america/chicago` is accepted by Intl; store the canonical spelling so labels and comparisons are stable. */
function canonicalTimeZone(name: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
}

const ENTRY_BOUNDS: Record<Unit, { min: number; max: number; decimal: boolean }> = {
  count: { min: 0, max: 1000, decimal: false },
  currency: { min: 0, max: 10_000_000, decimal: true },
  percent: { min: 0, max: 100, decimal: true },
  hours: { min: 0, max: 1000, decimal: true },
  days: { min: 0, max: 3650, decimal: true },
};

/**
 * Hand-entered metrics always carry entry bounds, fitted to the unit (currency takes cents, counts do not).
 * Keys the author wrote win; the schema's unit-blind defaults only stand in for keys they left out.
 */
function fillManualEntryBounds(config: Config, raw: Record<string, unknown>): void {
  const rawMetrics = isRecord(raw.metrics) ? raw.metrics : {};
  for (const [id, metric] of Object.entries(config.metrics)) {
    if (metric.source !== 'manual' && !metric.manual) continue;
    const rawMetric = rawMetrics[id];
    const written = isRecord(rawMetric) && isRecord(rawMetric.entry) ? rawMetric.entry : {};
    const bounds = { ...ENTRY_BOUNDS[metric.unit] };
    for (const key of ['min', 'max', 'decimal'] as const) {
      if (written[key] !== undefined && metric.entry) (bounds as Record<string, unknown>)[key] = metric.entry[key];
    }
    metric.entry = bounds;
  }
}
