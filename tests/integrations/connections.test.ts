import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONNECTION_LOADERS } from '../../src/integrations/source-loaders.js';
import { importsOf, repoRoot, sourceFiles } from '../architecture/import-graph.js';

/**
 * Why connection.ts exists: a command that shows a metric asks whether its source is connected, and that must not
 * load zod, axios or the shared HTTP client (src/integrations/http.ts) with their start-up cost. So from every
 * connection.ts, the modules it loads at run time, followed through relative imports, import none of them.
 * `import type` / `export type` statements are left out: the compiler erases them, so they load nothing; an import
 * that names a type inline (`import { type X } from`) still counts, as it may keep the module's import.
 */
const FORBIDDEN_PACKAGES = new Set(['zod', 'zod/mini', 'axios']);
const FORBIDDEN_MODULES = new Set(['src/integrations/http.ts']);

/** Every statement that names a module: from-imports, re-exports, side-effect imports, dynamic imports, require. */
const SPECIFIER =
  /(?:^|\n)\s*(?:(?:import|export)\s[^'";]*?from\s+|import\s+)['"]([^'"]+)['"]|(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;
const TYPE_ONLY = /^\s*(?:import|export)\s+type\s/;

/** The run-time specifiers of a module, relative or not. */
function runtimeSpecifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].filter((m) => m[2] !== undefined || !TYPE_ONLY.test(m[0])).map((m) => (m[1] ?? m[2])!);
}

/** `./x.js` from `src/a/b.ts` → `src/a/x.ts`, resolved as the layers test resolves it. */
function resolve(file: string, specifier: string): string {
  return importsOf(file, `import x from '${specifier}';`)[0]!.target;
}

/**
 * Each forbidden import reachable from `entry` at run time, as the chain of files that leads to it. `read` gives a
 * module's text, or undefined for a file that does not exist (reported too: an unresolved import hides its own).
 */
function forbiddenReach(entry: string, read: (file: string) => string | undefined): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, path: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const chain = [...path, file].join(' → ');
    if (FORBIDDEN_MODULES.has(file)) found.push(chain);
    const source = read(file);
    if (source === undefined) {
      found.push(`${chain}: no such file`);
      return;
    }
    for (const specifier of runtimeSpecifiers(source)) {
      if (FORBIDDEN_PACKAGES.has(specifier)) found.push(`${chain} imports '${specifier}'`);
      else if (specifier.startsWith('.')) visit(resolve(file, specifier), [...path, file]);
    }
  };
  visit(entry, []);
  return found;
}

const readRepo = (file: string) => (existsSync(join(repoRoot, file)) ? readFileSync(join(repoRoot, file), 'utf8') : undefined);
const connectionFiles = sourceFiles(repoRoot, 'src/integrations').filter((file) => /^src\/integrations\/[^/]+\/connection\.ts$/.test(file));

describe("the sources' connection checks", () => {
  it('are one connection.ts per source folder, each loaded by CONNECTION_LOADERS', () => {
    const folders = sourceFiles(repoRoot, 'src/integrations')
      .filter((file) => /^src\/integrations\/[^/]+\/index\.ts$/.test(file))
      .map((file) => posix.dirname(file));
    expect(connectionFiles.map((file) => posix.dirname(file)).sort()).toEqual(folders.sort());
    expect(connectionFiles).toHaveLength(Object.keys(CONNECTION_LOADERS).length);
    const loaders = readFileSync(join(repoRoot, 'src/integrations/source-loaders.ts'), 'utf8');
    for (const file of connectionFiles)
      expect(loaders).toContain(`import('./${posix.relative('src/integrations', file).replace(/\.ts$/, '.js')}')`);
  });

  it.each(connectionFiles)('%s loads no zod, axios or HTTP client, however indirectly', (file) => {
    expect(forbiddenReach(file, readRepo)).toEqual([]);
  });
});

describe('the reach check itself', () => {
  const graph = (files: Record<string, string>) => (file: string) => files[file];

  it('finds a forbidden package imported directly, through a chain of modules, or by a re-export', () => {
    const files = {
      'src/integrations/x/connection.ts': "import { a } from './credentials.js';\nexport { b } from './b.js';\n",
      'src/integrations/x/credentials.ts': "import { c } from '../shared.js';\nimport { z } from 'zod';\n",
      'src/integrations/shared.ts': "import axios from 'axios';\n",
      'src/integrations/x/b.ts': "export * from 'zod/mini';\n",
    };
    expect(forbiddenReach('src/integrations/x/connection.ts', graph(files))).toEqual([
      "src/integrations/x/connection.ts → src/integrations/x/credentials.ts → src/integrations/shared.ts imports 'axios'",
      "src/integrations/x/connection.ts → src/integrations/x/credentials.ts imports 'zod'",
      "src/integrations/x/connection.ts → src/integrations/x/b.ts imports 'zod/mini'",
    ]);
  });

  it('finds the HTTP client, side-effect and dynamic imports, and imports that name a type inline', () => {
    const files = {
      'src/integrations/x/connection.ts': "import './a.js';\nconst m = await import('./b.js');\nimport { type Z } from 'zod';\n",
      'src/integrations/x/a.ts': "import { createHttpClient } from '../http.js';\n",
      'src/integrations/x/b.ts': '',
      'src/integrations/http.ts': '',
    };
    expect(forbiddenReach('src/integrations/x/connection.ts', graph(files))).toEqual([
      'src/integrations/x/connection.ts → src/integrations/x/a.ts → src/integrations/http.ts',
      "src/integrations/x/connection.ts imports 'zod'",
    ]);
  });

  it('leaves out type-only imports, which load nothing, and reports an import it cannot find', () => {
    const files = {
      'src/integrations/x/connection.ts':
        "import type { z } from 'zod';\nimport type { Source } from '../source.js';\nimport { y } from './gone.js';\n",
    };
    expect(forbiddenReach('src/integrations/x/connection.ts', graph(files))).toEqual([
      'src/integrations/x/connection.ts → src/integrations/x/gone.ts: no such file',
    ]);
  });
});
