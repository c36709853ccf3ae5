import { metricsWithIds } from './metric-ids.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, describeValue, formatPath, type PendingProblem, type Problem } from './errors.js';
import type { Env } from './env.js';
import { configSchema, type Config, type Metric, type Unit } from './schema.js';
import { validateConfig } from './validate.js';
import { applySourceDefaults, type SourceSchemas } from './validate-sources.js';
import { isRecord } from './validate-goals.js';
import { parseYaml } from './yaml-document.js';
import { problemsFromIssues } from './zod-issues.js';

export interface LoadConfigOptions extends SourceSchemas {
  /** Explicit config file; relative paths resolve against `cwd`. */
  path?: string;
  /** Where `SCORECARD_CONFIG` is read from (default `process.env`). */
  env?: Env;
  /** Directory for relative paths and the `./scorecard.yml` lookup (default `process.cwd()`). */
  cwd?: string;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file that was loaded. */
  path: string;
  /** Every metric with its id, in catalog order. */
  metrics: Metric[];
}

export interface ResolvedConfigPath {
  /** Absolute path. */
  path: string;
  /** The name problems are reported under: as given, or relative to cwd. */
  displayName: string;
  origin: 'option' | 'SCORECARD_CONFIG' | 'cwd' | 'example';
}

const EXAMPLE_FILE = 'scorecard.example.yml';

/** Explicit path, else SCORECARD_CONFIG, else ./scorecard.yml when it exists, else the example shipped with the package. */
export function resolveConfigPath(options: Pick<LoadConfigOptions, 'path' | 'env' | 'cwd'> = {}): ResolvedConfigPath {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  if (options.path) return { path: path.resolve(cwd, options.path), displayName: options.path, origin: 'option' };
  const fromEnv = env.SCORECARD_CONFIG;
  if (fromEnv) return { path: path.resolve(cwd, fromEnv), displayName: fromEnv, origin: 'SCORECARD_CONFIG' };
  const local = path.resolve(cwd, 'scorecard.yml');
  if (existsSync(local)) return { path: local, displayName: 'scorecard.yml', origin: 'cwd' };
  const example = path.join(packageRoot(), EXAMPLE_FILE);
  const relative = path.relative(cwd, example);
  const displayName = relative.startsWith('..') || path.isAbsolute(relative) ? example : relative;
  return { path: example, displayName, origin: 'example' };
}

let cachedRoot: string | undefined;

/** The nearest folder above this module holding package.json: works from src/config/ and from dist/src/config/. */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  cachedRoot = dir;
  return dir;
}

/** Read whole and parsed in memory: a file this large is a mistake (or an attack), not a catalog. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const resolved = resolveConfigPath(options);
  let text: string;
  try {
    const size = statSync(resolved.path).size;
    if (size > MAX_CONFIG_BYTES) {
      throw new ConfigError(resolved.displayName, [
        {
          path: '',
          expected: `a config file of at most ${MAX_CONFIG_BYTES / 1024} KB`,
          found: `${Math.ceil(size / 1024)} KB at ${resolved.path}`,
          hint: 'a scorecard catalog is tens of KB; check that this is the right file',
        },
      ]);
    }
    text = readFileSync(resolved.path, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(resolved.displayName, [
      {
        path: '',
        expected: 'a readable config file',
        found: `${reason} at ${resolved.path}`,
        hint: `check ${resolved.origin === 'SCORECARD_CONFIG' ? 'SCORECARD_CONFIG' : 'the path'}, or copy ${EXAMPLE_FILE} to scorecard.yml`,
      },
    ]);
  }
  return parseConfigText(text, resolved.displayName, resolved.path, options);
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
