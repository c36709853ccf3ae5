/**
 * Readable configuration errors. Every loader collects all problems first and throws one `ConfigError`, so a
 * person fixing `scorecard.yml` (or the environment) sees the whole list instead of one problem per run.
 */

export type PathSegment = string | number;

export interface Problem {
  /** Dotted YAML path, arrays indexed: `groups[2].metrics[0]`, `metrics.dials.goal.op`. Empty for file-level problems. */
  path: string;
  /** What a valid value looks like. */
  expected: string;
  /** What was there. Never a secret's value. */
  found: string;
  /** How to fix it, shown on its own `fix:` line. */
  hint?: string;
  /** A one-line description that replaces "expected … — found …" when that reads badly (unknown keys, duplicates). */
  message?: string;
  line?: number;
  column?: number;
}

/** A problem before its position in the file is known: validators speak in paths, the loader adds line:col. */
export interface PendingProblem {
  at: PathSegment[];
  /** Point at the key itself rather than its value (unknown and duplicate keys). */
  atKey?: boolean;
  expected: string;
  found: string;
  hint?: string;
  message?: string;
  line?: number;
  column?: number;
  /** Internal: the key an unknown key most likely meant, and whether this problem is a missing required key. */
  meant?: string;
  missing?: boolean;
}

export class ConfigError extends Error {
  /** The config file name as given or resolved, or `environment`. */
  readonly file: string;
  readonly problems: readonly Problem[];

  constructor(file: string, problems: Problem[]) {
    super(formatProblems(file, problems));
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

export function formatPath(at: readonly PathSegment[]): string {
  let out = '';
  for (const segment of at) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (!PLAIN_KEY.test(segment)) out += `[${JSON.stringify(segment)}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

export function formatProblems(file: string, problems: readonly Problem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = [`${file} has ${count}:`];
  for (const problem of problems) {
    const position = problem.line !== undefined ? `line ${problem.line}:${problem.column ?? 1}` : '';
    const label = problem.path && position ? `${problem.path} (${position})` : problem.path || position || '(file)';
    const body = problem.message ?? `expected ${problem.expected} — found ${problem.found}`;
    lines.push(`  ${label}: ${body}`);
    if (problem.hint) lines.push(`    fix: ${problem.hint}`);
  }
  return lines.join('\n');
}

/** How a value from the file reads in a message: strings quoted, containers summarised, long text cut. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}
