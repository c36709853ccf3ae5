import { distance } from 'fastest-levenshtein';
import { metricWithId } from '../config/metric-ids.js';
import type { Config, Metric } from '../config/schema.js';

function withId(config: Config, id: string): Metric | undefined {
  return Object.hasOwn(config.metrics, id) ? metricWithId(config, id) : undefined;
}

/** Every metric, in the order the groups list them, then those no group lists (in config order). */
export function metricsOf(config: Config): Metric[] {
  const ids = [...config.groups.flatMap((group) => group.metrics), ...Object.keys(config.metrics)];
  const seen = new Set<string>();
  const metrics: Metric[] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const metric = withId(config, id);
    if (metric) metrics.push(metric);
  }
  return metrics;
}

export function metricById(config: Config, id: string): Metric | undefined {
  return withId(config, id);
}

export function isManual(metric: Metric): boolean {
  return metric.source === 'manual' || metric.manual;
}

export interface EntryBounds {
  min: number;
  max: number;
  /** Whether a value may have decimals (otherwise whole numbers only). */
  decimal: boolean;
}

export function entryBounds(metric: Metric): EntryBounds {
  return { min: metric.entry?.min ?? 0, max: metric.entry?.max ?? 1000, decimal: metric.entry?.decimal ?? false };
}

const ASCII = /^[\x20-\x7e]*$/;
const NOT_ASCII_ALPHANUMERIC = /[^a-z0-9]/g;

/** Case, accents, spaces, underscores, hyphens and punctuation do not count: "Same-day close_rate" = "samedaycloserate". */
function normalize(text: string): string {
  // ASCII (nearly every id, name and query) needs no Unicode tables; the first use of \p{…} costs a short command ~2 ms.
  if (ASCII.test(text)) return text.toLowerCase().replace(NOT_ASCII_ALPHANUMERIC, '');
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Typos forgiven for a query of this length: none for 1–2 characters, then 1, 2, 3. */
function allowedTypos(length: number): number {
  if (length <= 2) return 0;
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

/** How a metric matches a query, best first: exact, prefix, substring, typo, typo in a prefix or a single word. */
const Tier = { Exact: 0, Prefix: 1, Substring: 2, Typo: 3, LooseTypo: 4, None: 5 } as const;
type Tier = (typeof Tier)[keyof typeof Tier];

interface Score {
  tier: Tier;
  /** Edit distance inside the tier (0 for exact/prefix/substring). */
  edits: number;
}

interface Keys {
  whole: string[];
  words: string[];
}

function wholeKeysOf(metric: Metric): string[] {
  return [...new Set([metric.id, metric.name, ...metric.aliases].map(normalize))].filter((k) => k !== '');
}

function keysOf(metric: Metric): Keys {
  const texts = [metric.id, metric.name, ...metric.aliases];
  const words = texts
    .flatMap((t) => t.split(/[^\p{L}\p{N}]+/u))
    .map(normalize)
    .filter((w) => w.length >= 3);
  return { whole: wholeKeysOf(metric), words: [...new Set(words)] };
}

function better(a: Score, b: Score): boolean {
  return a.tier < b.tier || (a.tier === b.tier && a.edits < b.edits);
}

function scoreOf(query: string, keys: Keys): Score {
  const allowed = allowedTypos(query.length);
  let best: Score = { tier: Tier.None, edits: Infinity };
  const consider = (candidate: Score): void => {
    if (better(candidate, best)) best = candidate;
  };
  for (const key of keys.whole) {
    if (key === query) consider({ tier: Tier.Exact, edits: 0 });
    else if (query.length >= 2 && key.startsWith(query)) consider({ tier: Tier.Prefix, edits: 0 });
    else if (query.length >= 3 && key.includes(query)) consider({ tier: Tier.Substring, edits: 0 });
    if (allowed === 0) continue;
    const whole = distance(query, key);
    if (whole <= allowed) consider({ tier: Tier.Typo, edits: whole });
    const prefix = query.length >= 4 ? distance(query, key.slice(0, query.length)) : Infinity;
    if (prefix <= allowed) consider({ tier: Tier.LooseTypo, edits: prefix });
  }
  for (const word of allowed > 0 ? keys.words : []) {
    const edits = distance(query, word);
    if (edits <= allowed) consider({ tier: Tier.LooseTypo, edits });
  }
  return best;
}

/** Plain closeness for "did you mean" when nothing qualifies: the fewest edits to any key or word. */
function nearness(query: string, keys: Keys): number {
  return Math.min(...[...keys.whole, ...keys.words].map((key) => distance(query, key)));
}

export interface MetricSearch {
  /** Set for an exact, prefix or substring match that no other metric ties with; typos only ever suggest. */
  match?: Metric;
  /** When there is no match: up to three candidates, nearest first. */
  suggestions: Metric[];
}

const SUGGESTIONS = 3;

/** Finds a metric by id, name or alias, forgiving case, separators and partial words; small typos give suggestions. */
export function findMetric(config: Config, query: string): MetricSearch {
  const q = normalize(query);
  if (q === '') return { suggestions: [] };
  const metrics = metricsOf(config);
  // The usual question names a metric exactly (`cash`): one exact match wins outright, as it would below, without
  // scoring every metric for typos.
  const exact = metrics.filter((metric) => wholeKeysOf(metric).includes(q));
  if (exact.length === 1) return { match: exact[0]!, suggestions: [] };
  const scored = metrics.map((metric, order) => {
    const keys = keysOf(metric);
    return { metric, order, keys, score: scoreOf(q, keys) };
  });
  const qualified = scored
    .filter((s) => s.score.tier !== Tier.None)
    .sort((a, b) => a.score.tier - b.score.tier || a.score.edits - b.score.edits || a.order - b.order);

  const [first, second] = qualified;
  // A typo is never answered as if it were what the user meant: it becomes the first suggestion ("dails" → Dials?).
  const certain = first && first.score.tier <= Tier.Substring;
  if (first && certain && (!second || better(first.score, second.score))) return { match: first.metric, suggestions: [] };
  if (qualified.length > 0) return { suggestions: qualified.slice(0, SUGGESTIONS).map((s) => s.metric) };

  // Beyond the cut-off a "suggestion" is just the least unrelated metric (xyzzy → FTAs set): better none. A longer
  // query qualifies a metric when the whole is near enough, or one of its words is a small typo of a metric's word.
  const cutOff = suggestionCutOff(q.length);
  const queryWords = query
    .split(/[^\p{L}\p{N}]+/u)
    .map(normalize)
    .filter((w) => w.length >= 3);
  const wordNear = (keys: Keys) => queryWords.some((w) => keys.words.some((k) => distance(w, k) <= allowedTypos(w.length)));
  const nearest = scored
    .map((s) => ({ ...s, near: nearness(q, s.keys) }))
    .filter((s) => s.near <= cutOff || wordNear(s.keys))
    .sort((a, b) => a.near - b.near || a.order - b.order);
  return { suggestions: nearest.slice(0, SUGGESTIONS).map((s) => s.metric) };
}

/** The most edits a "did you mean" may be from the query: two (a transposition), or ~40 % of a longer query. */
export function suggestionCutOff(length: number): number {
  return Math.max(2, Math.ceil(length * 0.4));
}
