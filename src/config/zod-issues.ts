import type { z } from 'zod';
import { describeValue, type PathSegment, type PendingProblem } from './errors.js';
import { didYouMean, listOf, nearest } from './suggest.js';

/**
 * Turns zod issues into problems a person can act on: what was expected, what was found (read from the input,
 * since zod does not keep it), and a fix — the nearest valid key or option for typos.
 */

type Issue = z.core.$ZodIssue;

interface IssueContext {
  /** The schema that produced the issues (used to list an object's valid keys). */
  schema: z.core.$ZodType;
  /** The value that schema parsed. */
  input: unknown;
  /** Where `input` sits in the file, e.g. ['metrics', 'dials', 'query']. */
  prefix: PathSegment[];
}

export function problemsFromIssues(issues: readonly Issue[], context: IssueContext): PendingProblem[] {
  const problems = issues.flatMap((issue) => problemsFromIssue(issue, context));
  // `unti:` makes zod report both an unknown "unti" and a missing "unit"; the typo alone tells the story.
  const explained = new Set(
    problems.filter((problem) => problem.meant).map((problem) => pathKey([...problem.at.slice(0, -1), problem.meant ?? ''])),
  );
  return problems.filter((problem) => !(problem.missing && explained.has(pathKey(problem.at))));
}

function pathKey(at: readonly PathSegment[]): string {
  return JSON.stringify(at);
}

function problemsFromIssue(issue: Issue, context: IssueContext): PendingProblem[] {
  const relative = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  const at = [...context.prefix, ...relative];
  const value = valueAt(context.input, relative);
  const found = describeValue(value);

  switch (issue.code) {
    case 'invalid_type':
      return [invalidType(at, issue.expected, value)];
    case 'invalid_value':
      return [invalidOption(at, issue.values.map(String), value)];
    case 'unrecognized_keys': {
      const validKeys = objectKeysAt(context.schema, relative);
      return issue.keys.map((key) => unknownKey([...at, key], key, validKeys));
    }
    case 'too_small':
    case 'too_big':
      return [outOfRange(at, issue, value)];
    case 'invalid_format':
      return [{ at, expected: formatExpectation(issue), found }];
    case 'invalid_key': {
      const key = String(at[at.length - 1]);
      const rule = issue.issues[0]?.message ?? 'a valid key';
      const fixed = key.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
      return [
        {
          at,
          atKey: true,
          expected: `a key made of ${rule}`,
          found: `"${key}"`,
          hint: fixed && fixed !== key ? `use "${fixed}"` : undefined,
        },
      ];
    }
    case 'invalid_union':
      return invalidUnion(issue, at, value, context);
    case 'not_multiple_of':
      return [{ at, expected: `a multiple of ${String(issue.divisor)}`, found }];
    case 'custom': {
      const hint = typeof issue.params?.hint === 'string' ? issue.params.hint : undefined;
      // Refinement messages are written by each schema's author, as a rule or an instruction; both read well first.
      return [{ at, expected: issue.message, found, hint, message: `${issue.message} — found ${found}` }];
    }
    default:
      return [{ at, expected: issue.message, found }];
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
  date: 'a date',
};

function invalidType(at: PathSegment[], expectedType: string, value: unknown): PendingProblem {
  const expected = TYPE_NAMES[expectedType] ?? expectedType;
  if (value === undefined) {
    const key = at[at.length - 1];
    return { at, expected, found: 'nothing', missing: true, message: `required key "${String(key)}" is missing — expected ${expected}` };
  }
  let hint: string | undefined;
  if ((expectedType === 'number' || expectedType === 'int') && typeof value === 'string') {
    const plain = value.replace(/[$,\s_%]/g, '');
    if (plain !== '' && Number.isFinite(Number(plain))) hint = `write a plain number without quotes, $, commas or %: ${plain}`;
  } else if (expectedType === 'array' && (typeof value === 'string' || typeof value === 'number')) {
    hint = `write a list: [${JSON.stringify(value)}]`;
  } else if (expectedType === 'boolean' && typeof value === 'string') {
    hint = 'write true or false without quotes';
  } else if (expectedType === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    hint = `put it in quotes: "${String(value)}"`;
  } else if (expectedType === 'int' && typeof value === 'number') {
    hint = `use a whole number, e.g. ${Math.round(value)}`;
  }
  return { at, expected, found: describeValue(value), hint };
}

/** The usual slips for goal operators, mapped to the operator that was meant. */
const OPERATOR_SLIPS: Record<string, { use: string; meaning: string }> = {
  '>': { use: '>=', meaning: 'at least' },
  '=>': { use: '>=', meaning: 'at least' },
  '≥': { use: '>=', meaning: 'at least' },
  '<': { use: '<=', meaning: 'at most' },
  '=<': { use: '<=', meaning: 'at most' },
  '≤': { use: '<=', meaning: 'at most' },
  '==': { use: '=', meaning: 'exactly' },
  range: { use: 'between', meaning: 'a range with min and max' },
};

function invalidOption(at: PathSegment[], options: string[], value: unknown): PendingProblem {
  const expected = options.length === 1 ? `"${options[0]}"` : `one of ${listOf(options)}`;
  if (value === undefined) {
    const message = `required key "${String(at[at.length - 1])}" is missing — expected ${expected}`;
    return { at, expected, found: 'nothing', missing: true, message };
  }
  let hint: string | undefined;
  if (typeof value === 'string') {
    const slip = OPERATOR_SLIPS[value.trim()];
    if (slip && options.includes(slip.use)) hint = `use "${slip.use}" for "${slip.meaning}"`;
    else hint = didYouMean(value, options);
  }
  return { at, expected, found: describeValue(value), hint };
}

export function unknownKey(at: PathSegment[], key: string, validKeys: readonly string[]): PendingProblem {
  const guess = nearest(key, validKeys);
  const isMetricGroupKey = key === 'group' && validKeys.includes('calculation');
  let message: string;
  if (isMetricGroupKey) message = `unknown key "group" — a metric joins a group by being listed in groups[…].metrics`;
  else if (guess) message = `unknown key "${key}" — did you mean "${guess}"?`;
  else if (validKeys.length > 0) message = `unknown key "${key}" — valid keys here: ${listOf(validKeys)}`;
  else message = `unknown key "${key}"`;
  return {
    at,
    atKey: true,
    expected: validKeys.length > 0 ? `one of ${listOf(validKeys)}` : 'no such key',
    found: `"${key}"`,
    message,
    meant: guess,
  };
}

function outOfRange(at: PathSegment[], issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown): PendingProblem {
  const small = issue.code === 'too_small';
  const limit = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  const inclusive = issue.inclusive !== false;
  const found = describeValue(value);
  if (issue.origin === 'array' || issue.origin === 'set') {
    const items = limit === 1 ? 'item' : 'items';
    if (issue.exact) return { at, expected: `exactly ${limit} ${items}`, found };
    return { at, expected: `${small ? 'at least' : 'at most'} ${limit} ${items}`, found };
  }
  if (issue.origin === 'string') {
    if (small && limit === 1) return { at, expected: 'non-empty text', found };
    return { at, expected: `text of ${small ? 'at least' : 'at most'} ${limit} characters`, found };
  }
  const comparator = small ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  return { at, expected: `a number ${comparator} ${limit}`, found };
}

const FORMAT_NAMES: Record<string, string> = {
  url: 'a URL like https://example.com',
  email: 'an email address',
  datetime: 'an ISO date-time like 2026-11-16T08:00:00Z',
  date: 'a date like 2026-11-16',
  time: 'a time like 08:00',
  uuid: 'a UUID',
};

function formatExpectation(issue: z.core.$ZodIssueInvalidStringFormat): string {
  // zod's own messages start with "Invalid"; anything else is a schema's custom wording, made for people.
  if (!issue.message.startsWith('Invalid')) return issue.message;
  const details = issue as z.core.$ZodIssueInvalidStringFormat & { prefix?: string; suffix?: string; includes?: string };
  if (issue.format === 'starts_with') return `text starting with "${details.prefix}"`;
  if (issue.format === 'ends_with') return `text ending with "${details.suffix}"`;
  if (issue.format === 'includes') return `text containing "${details.includes}"`;
  if (issue.format === 'regex' && issue.pattern) return `text matching ${issue.pattern}`;
  return FORMAT_NAMES[issue.format] ?? issue.format;
}

function invalidUnion(issue: z.core.$ZodIssueInvalidUnion, at: PathSegment[], value: unknown, context: IssueContext) {
  const details = issue as z.core.$ZodIssueInvalidUnion & { options?: unknown[]; discriminator?: string };
  if (details.options && details.options.length > 0) return [invalidOption(at, details.options.map(String), value)];
  // Report the branch that came closest: a branch whose tag (a literal like `measure: open_tickets`) did not
  // match is the wrong shape, otherwise the fewest issues wins. That is almost always the shape the author meant.
  const distance = (branchIssues: readonly Issue[]) =>
    branchIssues.reduce((sum, branchIssue) => sum + (branchIssue.code === 'invalid_value' && branchIssue.values.length === 1 ? 100 : 1), 0);
  const branches = issue.errors.map((branchIssues, index) => ({ branchIssues, index, distance: distance(branchIssues) }));
  branches.sort((a, b) => a.distance - b.distance);
  const closest = branches[0];
  const unionSchema = schemaAt(context.schema, at.slice(context.prefix.length));
  const branchSchema = unionSchema ? unionOptions(unionSchema)[closest?.index ?? -1] : undefined;
  if (!closest || closest.branchIssues.length === 0 || !branchSchema) {
    return [{ at, expected: 'one of the accepted shapes', found: describeValue(value) }];
  }
  return problemsFromIssues(closest.branchIssues, { schema: branchSchema, input: value, prefix: at });
}

function valueAt(input: unknown, path: readonly PathSegment[]): unknown {
  let current = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** A loose view of zod 4 definitions: enough to walk wrappers, containers and objects. */
interface LooseDef {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  items?: z.core.$ZodType[];
  rest?: z.core.$ZodType | null;
  options?: z.core.$ZodType[];
  getter?: () => z.core.$ZodType;
}

function defOf(schema: z.core.$ZodType): LooseDef {
  return schema._zod.def as unknown as LooseDef;
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(current);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined) ?? (def.type === 'lazy' ? def.getter?.() : undefined);
    if (!next) return current;
    current = next;
  }
  return current;
}

function unionOptions(schema: z.core.$ZodType): z.core.$ZodType[] {
  return defOf(unwrap(schema)).options ?? [];
}

export function schemaAt(schema: z.core.$ZodType, path: readonly PathSegment[]): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (!current) return undefined;
    const def = defOf(current);
    let next: z.core.$ZodType | undefined;
    if (def.type === 'object') next = def.shape?.[String(segment)];
    else if (def.type === 'record') next = def.valueType;
    else if (def.type === 'array') next = def.element;
    else if (def.type === 'tuple') next = def.items?.[Number(segment)] ?? def.rest ?? undefined;
    current = next ? unwrap(next) : undefined;
  }
  return current;
}

/** The keys an object schema accepts at a path, in declaration order (empty when unknown). */
export function objectKeysAt(schema: z.core.$ZodType, path: readonly PathSegment[]): string[] {
  const target = schemaAt(schema, path);
  if (!target) return [];
  const def = defOf(target);
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'record') {
    const keyDef = defOf(unwrap((target._zod.def as unknown as { keyType: z.core.$ZodType }).keyType)) as LooseDef & {
      entries?: Record<string, string>;
    };
    return keyDef.entries ? Object.values(keyDef.entries) : [];
  }
  return [];
}
