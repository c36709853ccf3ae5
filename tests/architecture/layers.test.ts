import { describe, expect, it } from 'vitest';
import { checkEdge, cyclesAmong, cyclesIn, importsOf, repoRoot, violationsIn } from './import-graph.js';

describe('import direction in src/', () => {
  it('no file imports from a layer above its own, or sideways between renderers', () => {
    const found = violationsIn(repoRoot).map((v) => `${v.file} imports '${v.specifier}': ${v.reason}`);
    expect(found).toEqual([]);
  });

  it('names the offending file and import when an upward import is added', () => {
    const edges = importsOf('src/store/daily-values.ts', "import { postDigest } from '../slack/post.js';\n");
    const violation = checkEdge(edges[0]!);
    expect(violation).toMatchObject({ file: 'src/store/daily-values.ts', specifier: '../slack/post.js' });
    expect(violation?.reason).toBe('store (layer 2) imports upward from slack (layer 5)');
  });

  it('sees dynamic imports and re-exports too', () => {
    const source =
      "export { x } from '../bot/app.js';\nconst m = await import('../cli/program.js');\nimport { b } from '../cli/code-cache.cjs';\n";
    const edges = importsOf('src/report/weekly.ts', source);
    expect(edges.map((e) => e.target)).toEqual(['src/bot/app.ts', 'src/cli/program.ts', 'src/cli/code-cache.cts']);
    expect(edges.map((e) => checkEdge(e)?.reason)).toEqual([
      'report (layer 4) imports upward from bot (layer 8)',
      'report (layer 4) imports upward from cli (layer 9)',
      'report (layer 4) imports upward from cli (layer 9)',
    ]);
  });

  it('renderers do not import each other', () => {
    const [edge] = importsOf('src/terminal/render.ts', "import { clip } from '../slack/blocks.js';\n");
    expect(checkEdge(edge!)?.reason).toBe('terminal imports sideways from slack');
  });

  it('metrics imports only config types', () => {
    const [edge] = importsOf('src/metrics/status.ts', "import type { Store } from '../store/db.js';\n");
    expect(checkEdge(edge!)?.reason).toBe('metrics (layer 1) imports upward from store (layer 2)');
  });
});

describe('import cycles in src/', () => {
  it('no module loads itself through others (type-only imports are erased and left out)', () => {
    expect(cyclesIn(repoRoot).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('names every file around a cycle', () => {
    const files = new Map([
      ['src/bot/deps.ts', "import { X } from './answer/answerer.js';\n"],
      ['src/bot/answer/answerer.ts', "import { y } from './job.js';\n"],
      ['src/bot/answer/job.ts', "import { type BotDeps, whoIs } from '../deps.js';\n"],
      ['src/bot/app.ts', "import { y } from './answer/job.js';\n"],
    ]);
    expect(cyclesAmong(files)).toEqual([['src/bot/deps.ts', 'src/bot/answer/answerer.ts', 'src/bot/answer/job.ts', 'src/bot/deps.ts']]);
  });
});
