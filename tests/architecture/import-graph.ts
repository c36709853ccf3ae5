import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

/**
 * The layers of `src/`, lowest first. A file may import from its own layer or any layer below; never from above, and
 * never sideways between the renderers (slack, web, email, sheets, terminal share one rank but not each other).
 * Data flows config → metrics → store → integrations → report → renderers, with jobs, bot and cli on top.
 */
export const LAYERS: Record<string, number> = {
  config: 0,
  'logger.ts': 0,
  'errors.ts': 0,
  metrics: 1,
  store: 2,
  integrations: 3,
  report: 4,
  terminal: 5,
  slack: 5,
  web: 5,
  email: 5,
  sheets: 5,
  'runtime.ts': 6,
  jobs: 7,
  bot: 8,
  cli: 9,
};

/** Renderers sit side by side: none of them may import another. */
const SIBLINGS = new Set(['terminal', 'slack', 'web', 'email', 'sheets']);

export interface ImportEdge {
  file: string;
  specifier: string;
  target: string;
  /** A type-only import: checked for direction, but it loads nothing at run time, so it makes no cycle. */
  typeOnly: boolean;
}

export interface Violation extends ImportEdge {
  reason: string;
}

const IMPORT_PATTERN = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(file: string, source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const match of source.matchAll(IMPORT_PATTERN)) {
    const specifier = match[1] ?? match[2];
    if (!specifier?.startsWith('.')) continue;
    const target = posix
      .normalize(posix.join(posix.dirname(file), specifier))
      .replace(/\.js$/, '.ts')
      .replace(/\.cjs$/, '.cts');
    // `import type` / `export type` statements are erased by the compiler: they order no module loading.
    const typeOnly = match[1] !== undefined && /^\s*(?:import|export)\s+type\s/.test(match[0]);
    edges.push({ file, specifier, target, typeOnly });
  }
  return edges;
}

/** The top folder (or root file) under src/ that a path belongs to. */
export function layerOf(path: string): string {
  const inside = path.replace(/^src\//, '');
  return inside.includes('/') ? inside.slice(0, inside.indexOf('/')) : inside;
}

export function checkEdge(edge: ImportEdge): Violation | undefined {
  const from = layerOf(edge.file);
  const to = layerOf(edge.target);
  if (from === to) return undefined;
  const fromRank = LAYERS[from];
  const toRank = LAYERS[to];
  if (fromRank === undefined) return { ...edge, reason: `${from} is not a known layer of src/ (add it to LAYERS)` };
  if (toRank === undefined) return { ...edge, reason: `${to} is not a known layer of src/ (add it to LAYERS)` };
  if (toRank > fromRank) return { ...edge, reason: `${from} (layer ${fromRank}) imports upward from ${to} (layer ${toRank})` };
  if (toRank === fromRank && SIBLINGS.has(from) && SIBLINGS.has(to)) return { ...edge, reason: `${from} imports sideways from ${to}` };
  if (toRank === fromRank && from !== to && !SIBLINGS.has(from)) return { ...edge, reason: `${from} imports sideways from ${to}` };
  return undefined;
}

export function sourceFiles(root: string, dir = 'src'): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(root, path));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.cts')) out.push(path);
  }
  return out;
}

export function violationsIn(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const file of sourceFiles(root)) {
    for (const edge of importsOf(file, readFileSync(join(root, file), 'utf8'))) {
      const violation = checkEdge(edge);
      if (violation) violations.push(violation);
    }
  }
  return violations;
}

/**
 * Run-time import cycles among `files` (path → its source text), each as the files around the loop, first file
 * repeated last. Type-only imports are left out: they are erased, so they cannot load a module half-initialised.
 */
export function cyclesAmong(files: ReadonlyMap<string, string>): string[][] {
  const graph = new Map(
    [...files].map(([file, source]) => [
      file,
      importsOf(file, source)
        .filter((edge) => !edge.typeOnly)
        .map((edge) => edge.target),
    ]),
  );
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): void => {
    const at = path.indexOf(file);
    if (at >= 0) {
      cycles.push([...path.slice(at), file]);
      return;
    }
    if (done.has(file) || !graph.has(file)) return;
    path.push(file);
    for (const target of graph.get(file) ?? []) visit(target);
    path.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return cycles;
}

export function cyclesIn(root: string): string[][] {
  return cyclesAmong(new Map(sourceFiles(root).map((file) => [file, readFileSync(join(root, file), 'utf8')])));
}

export const repoRoot = relative(process.cwd(), join(dirname(new URL(import.meta.url).pathname), '..', '..')) || '.';
