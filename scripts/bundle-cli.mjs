// Bundles the CLI (src/cli/program.ts and all it imports but the bot) into one CommonJS file, dist/src/cli/cli.cjs,
// which dist/src/cli/main.cjs runs with V8's code cache (src/cli/code-cache.ts). Loading some 500 small ES modules was
// most of a short command's start-up, and Node 20 keeps no code cache for ES modules; one CommonJS script can carry
// one. Commands still run only their own code: esbuild wraps each bundled module in a function called at its first
// import, so `metric cash` never runs the code of `refresh`. kysely, zod, axios and the small pure-JS packages every
// command loads are bundled and minified (less to read and compile); every other package stays a plain `require`, so
// native modules and packages that read files beside their own code (better-sqlite3, pg, pdfkit) work as before.
// `start` (the bot) runs on tsc's modules, unbundled: its worker threads load compiled files by path.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist/src/cli');
// better-sqlite3's JavaScript too (its native addon is loaded by path: src/store/sqlite-addon.ts); `bindings`, which
// it needs only without that path, stays outside.
const BUNDLED_PACKAGES = new Set(['kysely', 'zod', 'axios', 'commander', 'dayjs', 'fastest-levenshtein', 'better-sqlite3']);

// Chunks of the earlier ES-module bundle, if this dist/ still holds them.
for (const name of readdirSync(outdir)) if (name.startsWith('chunk-')) rmSync(join(outdir, name));

await build({
  entryPoints: { cli: join(root, 'src/cli/program.ts') },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  // Local names shortened too: a third less source to read and a smaller code cache to load (`metric cash` ~4%
  // sooner). Every error class sets its `name` explicitly, so messages read the same; a stack trace maps back to
  // the sources with `node --enable-source-maps` (the bundle links its source map).
  minifyIdentifiers: true,
  // A dynamic import inside a script run by vm.Script needs a flag on Node 20; every package left out of the bundle
  // has a CommonJS entry, so `import(x)` becomes `require(x)`.
  supported: { 'dynamic-import': false },
  // The modules that locate the build folder read import.meta.url; in the bundle that is the bundle's own URL.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  plugins: [
    {
      // commander requires child_process at load, only to run executable subcommands (we have none); loading it also
      // loads net, dgram and the stream modules, ~4% of `metric cash`. Here it is required at commander's first spawn.
      name: 'commander-lazy-child-process',
      setup(b) {
        b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
          const eager = "const childProcess = require('node:child_process');";
          const source = await readFile(args.path, 'utf8');
          if (!source.includes(eager)) throw new Error(`${args.path}: commander no longer has "${eager}"; revisit this plugin`);
          const lazy = "const childProcess = { spawn: (...spawnArgs) => require('node:child_process').spawn(...spawnArgs) };";
          return { contents: source.replace(eager, lazy), loader: 'js' };
        });
      },
    },
    {
      name: 'externals',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
          return BUNDLED_PACKAGES.has(name) ? undefined : { external: true };
        });
      },
    },
  ],
});

// esbuild escapes non-ASCII characters in strings but leaves some in template literals and regular expressions. An
// ASCII file is read as Latin-1 (src/cli/code-cache.cts), ~3 ms sooner than decoding 1.7 MB of UTF-8; \uXXXX means
// the same in every one of those places. (Columns of the source map shift on the few lines that had one.)
const bundle = join(outdir, 'cli.cjs');
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class is "anything outside ASCII", written as its range.
const ascii = readFileSync(bundle, 'utf8').replace(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync(bundle, ascii);
