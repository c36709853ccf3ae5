import type { z } from 'zod';
import { describeValue, type PendingProblem } from './errors.js';
import { listOf, nearest } from './suggest.js';
import { isRecord } from './validate-goals.js';
import { problemsFromIssues } from './zod-issues.js';

/**
 * Source-specific parts of the config, checked with the schemas each source publishes: `metrics.<id>.query`
 * against the source's query schema and `sources.<id>` against its settings schema. Without schemas (e.g. a
 * plain config check) any source name is accepted, since only the registry knows which sources exist.
 */

export interface SourceSchemas {
  /** Query schema per source id (`hubspot`, `simplefin`, …). */
  querySchemas?: Record<string, z.ZodTypeAny>;
  /** Settings schema per source id, for `sources.<id>`. */
  settingsSchemas?: Record<string, z.ZodTypeAny>;
}

/** Sources the core handles itself: hand-entered numbers, ratios of two other metrics, and the demo's generator. */
export const BUILT_IN_SOURCES = ['manual', 'derived', 'sample'] as const;

export function checkMetricSources(metrics: Record<string, unknown>, schemas: SourceSchemas): PendingProblem[] {
  const problems: PendingProblem[] = [];
  const { querySchemas } = schemas;
  for (const [id, metric] of Object.entries(metrics)) {
    if (!isRecord(metric) || typeof metric.source !== 'string') continue;
    const source = metric.source;
    const query = metric.query ?? {};
    const queryAt = ['metrics', id, 'query'];

    if (source === 'manual') {
      if (isRecord(query) && Object.keys(query).length > 0) {
        problems.push({
          at: queryAt,
          atKey: true,
          expected: 'no query for a manual metric',
          found: `query with ${listOf(Object.keys(query))}`,
          message: 'a manual metric takes no query',
          hint: 'remove query, or set source to the system that has these numbers',
        });
      }
      continue;
    }
    if (source === 'derived') {
      problems.push(...checkDerived(id, metric, query, metrics));
      continue;
    }
    if (!querySchemas) continue;

    const schema = querySchemas[source];
    if (!schema) {
      if ((BUILT_IN_SOURCES as readonly string[]).includes(source)) continue;
      problems.push(unknownSource(['metrics', id, 'source'], source, [...BUILT_IN_SOURCES, ...Object.keys(querySchemas)]));
      continue;
    }
    if (!isRecord(query)) continue; // the core schema reports a query that is not a mapping
    const result = schema.safeParse(query);
    if (!result.success) problems.push(...problemsFromIssues(result.error.issues, { schema, input: query, prefix: queryAt }));
  }
  return problems;
}

/** Settings every source takes, handled by the refresh itself (integrations/refresh.ts), not by the source's schema. */
export const CORE_SOURCE_SETTINGS = ['deadline_seconds'] as const;
const MAX_DEADLINE_SECONDS = 3600;

function splitCoreSettings(settings: Record<string, unknown>): { core: Record<string, unknown>; own: Record<string, unknown> } {
  const core: Record<string, unknown> = {};
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings))
    ((CORE_SOURCE_SETTINGS as readonly string[]).includes(key) ? core : own)[key] = value;
  return { core, own };
}

function checkCoreSettings(id: string, core: Record<string, unknown>): PendingProblem[] {
  const value = core.deadline_seconds;
  if (value === undefined || (typeof value === 'number' && value > 0 && value <= MAX_DEADLINE_SECONDS)) return [];
  return [
    {
      at: ['sources', id, 'deadline_seconds'],
      expected: `a number of seconds, more than 0 and at most ${MAX_DEADLINE_SECONDS}`,
      found: describeValue(value),
      hint: 'the default is 60',
    },
  ];
}

export function checkSourceSettings(sources: unknown, schemas: SourceSchemas): PendingProblem[] {
  const { settingsSchemas } = schemas;
  if (!settingsSchemas) return [];
  const configured = isRecord(sources) ? sources : {};
  const problems: PendingProblem[] = [];
  for (const id of Object.keys(configured)) {
    if (!settingsSchemas[id]) problems.push({ ...unknownSource(['sources', id], id, Object.keys(settingsSchemas)), atKey: true });
  }
  for (const [id, schema] of Object.entries(settingsSchemas)) {
    const all = configured[id] ?? {};
    if (!isRecord(all)) continue; // the core schema reports a non-mapping
    const { core, own: settings } = splitCoreSettings(all);
    problems.push(...checkCoreSettings(id, core));
    const result = schema.safeParse(settings);
    if (!result.success) {
      problems.push(...problemsFromIssues(result.error.issues, { schema, input: settings, prefix: ['sources', id] }));
    }
  }
  return problems;
}

/** Parsed settings and queries with each source's defaults filled in; call only once the checks above passed. */
export function applySourceDefaults<
  C extends {
    metrics: Record<string, { source: string; query: Record<string, unknown> }>;
    sources: Record<string, Record<string, unknown>>;
  },
>(config: C, schemas: SourceSchemas): void {
  const { querySchemas, settingsSchemas } = schemas;
  if (querySchemas) {
    for (const metric of Object.values(config.metrics)) {
      const schema = querySchemas[metric.source];
      if (!schema) continue;
      const parsed: unknown = schema.parse(metric.query);
      if (isRecord(parsed)) metric.query = parsed;
    }
  }
  if (settingsSchemas) {
    for (const [id, schema] of Object.entries(settingsSchemas)) {
      const { core, own } = splitCoreSettings(config.sources[id] ?? {});
      const parsed: unknown = schema.parse(own);
      if (isRecord(parsed)) config.sources[id] = { ...parsed, ...core };
    }
  }
}

/** `source: derived` is Σ numerator metric ÷ Σ denominator metric, per day; both must be plain metrics of the catalog. */
function checkDerived(id: string, metric: Record<string, unknown>, query: unknown, metrics: Record<string, unknown>): PendingProblem[] {
  const problems: PendingProblem[] = [];
  const at = ['metrics', id, 'query'];
  if (metric.aggregate !== 'ratio') {
    problems.push({
      at: ['metrics', id, 'aggregate'],
      expected: 'ratio for a derived metric',
      found: describeValue(metric.aggregate),
      hint: 'set aggregate: ratio',
    });
  }
  const q = isRecord(query) ? query : {};
  for (const key of Object.keys(q)) {
    if (key !== 'numerator' && key !== 'denominator') {
      problems.push({
        at: [...at, key],
        atKey: true,
        expected: 'numerator or denominator',
        found: describeValue(key),
        message: `unknown key "${key}" — a derived metric takes numerator and denominator`,
      });
    }
  }
  for (const part of ['numerator', 'denominator'] as const) {
    const ref = q[part];
    const target = typeof ref === 'string' ? metrics[ref] : undefined;
    if (typeof ref !== 'string' || !target) {
      const guess = typeof ref === 'string' ? nearest(ref, Object.keys(metrics)) : undefined;
      problems.push({
        at: [...at, part],
        expected: 'the id of another metric',
        found: describeValue(ref),
        hint: guess ? `did you mean "${guess}"?` : `e.g. query: { numerator: ad_spend, denominator: mqls }`,
      });
    } else if (isRecord(target) && target.source === 'derived') {
      problems.push({ at: [...at, part], expected: 'a metric that is not itself derived', found: describeValue(ref) });
    }
  }
  return problems;
}

function unknownSource(at: (string | number)[], source: string, known: string[]): PendingProblem {
  const guess = nearest(source, known);
  return {
    at,
    expected: `a known source: ${listOf(known)}`,
    found: describeValue(source),
    message: `unknown source "${source}" — ${guess ? `did you mean "${guess}"?` : `known sources: ${listOf(known)}`}`,
    hint: guess ? undefined : 'check the spelling, or add the source to src/integrations/registry.ts',
  };
}
