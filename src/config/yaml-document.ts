import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { PathSegment, PendingProblem } from './errors.js';

/**
 * YAML parsing that keeps node positions, so every problem can say `line:col`, and that reports duplicate keys
 * with their path (the `yaml` package's own uniqueKeys error only carries an offset). Metric ids are map keys,
 * so this is also what keeps metric ids unique.
 */

export interface ParsedYaml {
  data: unknown;
  problems: PendingProblem[];
  /** Line and column (1-based) of the node at a path, or of its nearest existing ancestor. */
  positionOf(at: readonly PathSegment[], atKey?: boolean): { line: number; column: number } | undefined;
}

const MAX_ALIAS_COUNT = 1000;

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, uniqueKeys: false, merge: true, prettyErrors: false });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  };

  const problems: PendingProblem[] = doc.errors.map((error) => {
    const at = position(error.pos[0]);
    return {
      at: [],
      ...at,
      expected: 'valid YAML',
      found: error.message,
      message: `YAML syntax error: ${error.message}`,
      hint: syntaxHint(text, at.line, error.message),
    };
  });
  problems.push(...duplicateKeys(doc.contents, [], position));

  let data: unknown;
  if (doc.errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // yaml refuses to expand a document whose aliases multiply ("billion laughs"): a config problem, not a crash.
      data = undefined;
      problems.push({
        at: [],
        line: 1,
        column: 1,
        expected: `YAML whose aliases (*name) expand at most ${MAX_ALIAS_COUNT} times`,
        found: `aliases that expand without bound (${(error as Error).message})`,
        message: 'YAML aliases expand too far: is this an alias bomb?',
        hint: 'write the values out, or use fewer nested aliases',
      });
    }
  }

  return {
    data,
    problems,
    positionOf(at, atKey = false) {
      const node = nodeAt(doc, at, atKey);
      return node?.range ? position(node.range[0]) : undefined;
    },
  };
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function nodeAt(doc: Document, at: readonly PathSegment[], atKey: boolean): Node | undefined {
  let node: unknown = doc.contents;
  let found: Node | undefined = isNodeLike(node) ? node : undefined;
  // For a key that is missing, the key of the mapping that lacks it reads best ("metrics.dials" on its line).
  let ownerKey: Node | undefined;
  for (const [index, segment] of at.entries()) {
    const isLast = index === at.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) return ownerKey ?? found;
      if (isLast && atKey && isNodeLike(pair.key)) return pair.key;
      ownerKey = isNodeLike(pair.key) ? pair.key : undefined;
      // `key:` with nothing after it has no value node worth pointing at; point at the key.
      node = pair.value;
      found = isNodeLike(pair.value) && pair.value.range ? pair.value : isNodeLike(pair.key) ? pair.key : found;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (!isNodeLike(node)) break;
      found = node;
      ownerKey = undefined;
    } else {
      break;
    }
  }
  return found;
}

function isNodeLike(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

function duplicateKeys(node: unknown, at: PathSegment[], position: (offset: number) => { line: number; column: number }): PendingProblem[] {
  const problems: PendingProblem[] = [];
  if (isMap(node)) {
    const firstLine = new Map<string, number>();
    for (const pair of node.items) {
      const key = keyText(pair.key);
      const keyPosition = isNodeLike(pair.key) && pair.key.range ? position(pair.key.range[0]) : undefined;
      const earlier = firstLine.get(key);
      if (earlier !== undefined && key !== '<<') {
        const isMetric = at.length === 1 && at[0] === 'metrics';
        problems.push({
          at: [...at, key],
          atKey: true,
          ...keyPosition,
          expected: isMetric ? 'unique metric ids' : 'unique keys',
          found: `"${key}" twice`,
          message: `duplicate ${isMetric ? 'metric id' : 'key'} "${key}" (first defined on line ${earlier})`,
          hint: isMetric
            ? 'give one of the two metrics another id; YAML would silently keep only the last one'
            : `remove one of the two "${key}" entries; YAML would silently keep only the last one`,
        });
      } else if (earlier === undefined) {
        firstLine.set(key, keyPosition?.line ?? 0);
      }
      problems.push(...duplicateKeys(pair.value, [...at, key], position));
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) problems.push(...duplicateKeys(item, [...at, index], position));
  }
  return problems;
}

/** The classic trap: `op: >=` starts a YAML block scalar. */
function syntaxHint(text: string, line: number, message: string): string | undefined {
  const source = text.split('\n')[line - 1] ?? '';
  const operator = /:\s*([<>]=?|=)\s*$/.exec(source);
  if (/block scalar/i.test(message) && operator) {
    return `quote the operator: op: "${operator[1]}" (a bare > starts a multi-line text in YAML)`;
  }
  if (/tab/i.test(message)) return 'indent with spaces, not tabs';
  return undefined;
}
