import type { z } from 'zod';
import type { Logger } from 'pino';
import type { Config, Metric } from '../config/schema.js';
import type { LocalDay } from '../metrics/types.js';
import type { SyncState } from '../store/sync-state.js';
import { errorMessage } from '../errors.js';
import type { SourceErrorClass } from './errors.js';
import { parseOrConfigError } from './source-helpers.js';
import type { ProbePolicy } from './http-types.js';
import type { SourceConnection } from './source-connection.js';

/**
 * The contract every source folder implements (`src/integrations/<id>/index.ts` exports one `Source`).
 * Adding a source = adding its folder (with `connection.ts`, its zod-free `configured` check, spread into its
 * definition) and one line each in `registry.ts` and `source-loaders.ts`.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** One daily value a source produced for a metric. Ratios carry numerator and denominator; value = num ÷ den. */
export interface CollectedValue {
  metricId: string;
  day: LocalDay;
  value: number;
  numerator?: number | null;
  denominator?: number | null;
  /** Shown on the metric (e.g. SimpleFIN errlist entries, "sum of all depository accounts"). Never secrets. */
  warnings?: string[];
  /**
   * When the figure was true, if older than the fetch (a bank balance dated yesterday): stored as the value's
   * "as of", so its age, and staleness, are the data's own rather than the refresh's.
   */
  asOf?: string;
  /**
   * The source's own verdict that this figure is out of date, naming what and how old ("Reserve savings balance is
   * 26 h old; stale after 24 h"). The figure then shows stale, with this reason, whatever the metric's
   * `freshness_hours` says: the source's limit is the one its catalog text states.
   */
  staleBecause?: string;
  /**
   * Ad spend: this value is also one channel of another (currency) metric, e.g. Meta's spend of `ad_spend`. The
   * refresh keeps it per channel and sets that metric's day to the sum of its channels (CSV-imported ones too).
   */
  feeds?: { metricId: string; channel: string; currency: string };
}

/**
 * A metric the source could not collect while its other metrics went on: a bad list id, a deleted pipeline, a
 * missing property. The refresh records the reason for `/metric`, `doctor` and its summary; the source's other
 * metrics still refresh. A failure that stops the whole source (auth, outage) is thrown instead.
 */
export interface FailedMetric {
  metricId: string;
  failure: { errorClass: SourceErrorClass; message: string };
}

/** Deals of one quarter by outcome: how many, and their amounts summed in the company currency. */
export interface DealsFigure {
  count: number;
  amount: number;
}

/**
 * A whole-quarter deals snapshot taken today (HubSpot): won and lost deals with a close date in the quarter, open
 * deals expected to close in it. Not a daily metric value: the refresh stores it as that quarter's snapshot of the day.
 */
export interface CollectedQuarterDeals {
  quarterDeals: { quarter: string; day: LocalDay; won: DealsFigure; lost: DealsFigure; open: DealsFigure; warnings?: string[] };
}

/** A part of a source's output that is not a metric (`hubspot.quarter_deals`) and failed while the metrics went on. */
export interface FailedPart {
  part: string;
  failure: FailedMetric['failure'];
}

/** What `collect` yields: values, metrics that failed on their own, and parts that are not metrics. */
export type Collected = CollectedValue | FailedMetric | CollectedQuarterDeals | FailedPart;

export function isFailedMetric(item: Collected): item is FailedMetric {
  return 'failure' in item && 'metricId' in item;
}

export function isCollectedValue(item: Collected): item is CollectedValue {
  return 'value' in item && 'metricId' in item;
}

export function isQuarterDeals(item: Collected): item is CollectedQuarterDeals {
  return 'quarterDeals' in item;
}

export function isFailedPart(item: Collected): item is FailedPart {
  return 'part' in item;
}

export interface SourceContext {
  config: Config;
  env: Env;
  logger: Logger;
  state: SyncState;
  /** "Now" for the run; tests and `--now` pin it. */
  now: Date;
  /**
   * Per-call counters the refresh records in `source_runs`, and the run's deadline signal; sources built on
   * `createHttpClient` (passing `stats: ctx.stats`) get both for free.
   */
  stats: { calls: number; rateLimited: number; deadline?: AbortSignal; probe?: ProbePolicy };
}

export interface CollectRequest {
  /** Inclusive local days in the org timezone. */
  from: LocalDay;
  to: LocalDay;
  /** The catalog metrics whose `source` is this source (and which the run asked for). */
  metrics: Metric[];
}

/**
 * Records modified since a source's modification cursor, as the days whose figures they change. The refresh
 * re-collects those days whole (never patches them) along with its window, then calls `commit`.
 */
export interface LateChanges {
  /** Every local day the modified records touch: old and new creation and completion days, old and new queue. */
  days: LocalDay[];
  /** What changed, for the summary and the change note: "2 tickets reopened", "1 ticket moved out of the queue". */
  reasons: string[];
  /** Advances the cursor (and whatever record index it keeps); called only once every day was re-collected. */
  commit(): Promise<void>;
}

export interface CheckResult {
  ok: boolean;
  /** One line for `scorecard doctor`, e.g. "authenticated as portal 123, 5 owners" or the redacted error. */
  detail: string;
}

/** A catalog metric whose `query` the framework has parsed with the source's `querySchema`. */
export type SourceMetric<Query> = Omit<Metric, 'query'> & { query: Query };

/** What a source's own `collect()` and `check()` receive: the run context plus its settings, parsed once. */
export interface SourceRun<Settings> extends SourceContext {
  settings: Settings;
}

export interface SourceRequest<Query> extends Omit<CollectRequest, 'metrics'> {
  metrics: SourceMetric<Query>[];
}

/** What a source folder writes: its schemas and its typed collect and check. `defineSource` turns it into a `Source`. */
export interface SourceDefinition<Settings, Query> {
  id: string;
  /** Human name for summaries: "HubSpot", "SimpleFIN". */
  name: string;
  /** Env vars this source reads (for .env.example and doctor); the first ones are the credentials. */
  envVars: readonly string[];
  /**
   * What `configured` needs, when it is more than "every credential var" (`credentialEnvVars`): alternatives
   * (`anyOf`) or optional vars left out. `doctor` and the refresh summary say it this way.
   */
  credentials?: readonly CredentialRequirement[];
  /** Validates `config.sources.<id>` (strict; defaults filled). */
  settingsSchema: z.ZodType<Settings>;
  /** Validates each `metrics.<m>.query` whose source is this one (strict). */
  querySchema: z.ZodType<Query>;
  /**
   * True when the credentials are present; a source that is not configured is skipped and its metrics show "not
   * connected". Written once, in the folder's `connection.ts` (a `SourceConnection`), and spread in here.
   */
  configured(env: Env): boolean;
  /**
   * For sources with several APIs and credential sets (Datto BCDR and RMM): whether this metric's credentials are
   * present. Without it a metric is connected when the source is `configured`. From `connection.ts` too.
   */
  configuredFor?(env: Env, metric: SourceMetric<Query>): boolean;
  /**
   * Streams daily values for `[from, to]` in batches (the refresh writes one transaction per batch).
   * Must never hold a year of raw records in memory: page, bucket, yield, forget.
   * Should yield a value (0 where nothing happened) for every metric and day it covers, so freshness is visible.
   */
  collect(run: SourceRun<Settings>, request: SourceRequest<Query>): AsyncIterable<Collected[]>;
  /**
   * Sources with a modification cursor: what changed since the last plain refresh. The refresh re-collects the
   * returned days outside its window; `refresh --full` does not call it. Without it, only the window is corrected.
   */
  lateChanges?(run: SourceRun<Settings>, request: SourceRequest<Query>): Promise<LateChanges>;
  /** One cheap authenticated call for `scorecard doctor`. Must not throw: failures become `{ ok: false }`. */
  check(run: SourceRun<Settings>): Promise<CheckResult>;
}

/**
 * A source as the framework holds it, its settings and query types hidden: the registry, refresh and doctor handle
 * every source alike, and hand it the raw config, which `defineSource` parses before the source's own code runs.
 */
export interface Source extends SourceConnection {
  id: string;
  name: string;
  envVars: readonly string[];
  credentials?: readonly CredentialRequirement[];
  settingsSchema: z.ZodType;
  querySchema: z.ZodType;
  collect(ctx: SourceContext, request: CollectRequest): AsyncIterable<Collected[]>;
  lateChanges?(ctx: SourceContext, request: CollectRequest): Promise<LateChanges>;
  check(ctx: SourceContext): Promise<CheckResult>;
}

/**
 * Wraps a typed definition as a `Source`. The settings (`sources.<id>`) and every metric's query are parsed once per
 * run, here; a value that does not fit is a `config` error naming its YAML path, never an `internal` one.
 */
export function defineSource<Settings, Query>(definition: SourceDefinition<Settings, Query>): Source {
  const { id, settingsSchema, querySchema } = definition;
  const settingsOf = (ctx: SourceContext): Settings =>
    parseOrConfigError(id, settingsSchema, ctx.config.sources[id] ?? {}, `sources.${id}`);
  const parseMetric = (metric: Metric): SourceMetric<Query> => ({
    ...metric,
    query: parseOrConfigError(id, querySchema, metric.query, `metrics.${metric.id}.query`),
  });
  const { configuredFor, lateChanges } = definition;
  return {
    id,
    name: definition.name,
    envVars: definition.envVars,
    ...(definition.credentials ? { credentials: definition.credentials } : {}),
    settingsSchema,
    querySchema,
    configured: (env) => definition.configured(env),
    ...(configuredFor
      ? {
          configuredFor: (env: Env, metric: Metric) => {
            const query = querySchema.safeParse(metric.query);
            return query.success && configuredFor(env, { ...metric, query: query.data });
          },
        }
      : {}),
    async *collect(ctx, request) {
      const run = { ...ctx, settings: settingsOf(ctx) };
      yield* definition.collect(run, { ...request, metrics: request.metrics.map(parseMetric) });
    },
    ...(lateChanges
      ? {
          lateChanges: (ctx: SourceContext, request: CollectRequest) =>
            lateChanges({ ...ctx, settings: settingsOf(ctx) }, { ...request, metrics: request.metrics.map(parseMetric) }),
        }
      : {}),
    async check(ctx) {
      let settings: Settings;
      try {
        settings = settingsOf(ctx);
      } catch (error) {
        return { ok: false, detail: errorMessage(error) };
      }
      return definition.check({ ...ctx, settings });
    },
  };
}

/** The env vars that hold a source's credentials: all it reads except endpoint overrides (`*_BASE_URL`, `*_TOKEN_URL`). */
export function credentialEnvVars(source: Pick<Source, 'envVars'>): string[] {
  return source.envVars.filter((name) => !/_(BASE|TOKEN)_URL$/.test(name));
}

/** One credential a source needs: an env var, or alternatives, each a set of vars that go together. */
export type CredentialRequirement = string | { anyOf: readonly (readonly string[])[] };

/** Alternative credential sets, e.g. `anyOf(['ZENDESK_EMAIL', 'ZENDESK_API_TOKEN'], ['ZENDESK_OAUTH_TOKEN'])`. */
export function anyOf(...alternatives: (readonly string[])[]): CredentialRequirement {
  return { anyOf: alternatives };
}

/**
 * How to configure a source, in words: "A, B and either C + D, or E". Alternatives read as alternatives, so
 * nobody sets four variables where two would do.
 */
export function describeCredentials(source: Pick<Source, 'envVars' | 'credentials'>): string {
  const requirements = source.credentials ?? credentialEnvVars(source);
  const plain = requirements.filter((r): r is string => typeof r === 'string');
  const choices = requirements
    .filter((r): r is { anyOf: readonly (readonly string[])[] } => typeof r !== 'string')
    .map((r) => `either ${r.anyOf.map((set) => set.join(' + ')).join(', or ')}`);
  if (plain.length === 0) return choices.join(' and ');
  return [plain.join(', '), ...choices].join(' and ');
}
