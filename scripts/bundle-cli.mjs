// Bundles the CLI entry over tsc's dist/src/cli/main.js. Loading some 500 small ES modules was most of a short
// command's start-up (`scorecard metric cash`: about 58% of its CPU in Node's ESM loader); one file per command,
// split so each command still loads only its own code (`chunk-*.js` beside main.js), loads far faster. kysely, zod
// and axios (hundreds of files each) and the small pure-JS packages every command loads are bundled, whitespace-
// minified (less to compile: `metric cash` ~12% faster, measured paired); every other package stays a plain import,
// so native modules and packages that read files beside their own code (better-sqlite3, pg, pdfkit) work as before. `start` (the bot)
// runs on tsc's modules, unbundled: its worker threads load compiled files by path.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist/src/cli');
const BUNDLED_PACKAGES = new Set(['kysely', 'zod', 'axios', 'commander', 'dayjs', 'fastest-levenshtein']);

for (const name of readdirSync(outdir)) if (name.startsWith('chunk-')) rmSync(join(outdir, name));

await build({
  entryPoints: { main: join(root, 'src/cli/main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS packages (commander, dayjs) require Node's built-ins; an ES module has no `require` of its own.
  banner: { js: "import { createRequire as __scorecardRequire } from 'node:module'; const require = __scorecardRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [
    {
      name: 'externals',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
          return BUNDLED_PACKAGES.has(name) ? undefined : { external: true };
        });
        // The bot's own entry: resolved at run time to tsc's dist/src/cli/start.js beside main.js.
        b.onResolve({ filter: /^\.\/start\.js$/ }, (args) =>
          args.importer.endsWith('main.ts') ? { path: args.path, external: true } : undefined,
        );
      },
    },
  ],
});
