import { readFileSync } from 'node:fs';
import sm from 'source-map-js';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const map = new sm.SourceMapConsumer(JSON.parse(readFileSync('/work/main/dist/src/cli/cli.cjs.map', 'utf8')));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map(); let total = 0;
for (let i = 0; i < p.samples.length; i++) { const d = p.timeDeltas[i] / 1000; total += d; self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + d); }
const where = (n) => { const cf = n.callFrame; if (!cf.url.endsWith('cli.cjs')) return cf.url.replace(/.*node_modules\//, 'nm/').replace(/^node:.*/, 'node') || cf.functionName; const o = map.originalPositionFor({ line: cf.lineNumber + 1, column: cf.columnNumber }); return (o.source ?? '?').replace(/.*node_modules\//, 'nm/').replace(/^.*\/src\//, 'src/'); };
const group = (s) => s.startsWith('nm/') ? s.split('/').slice(0, 2).join('/') : s;
const incl = new Map();
for (const [id, ms] of self) { let cur = id; const seen = new Set(); while (cur !== undefined) { const g = group(where(byId.get(cur))); if (!seen.has(g)) { seen.add(g); incl.set(g, (incl.get(g) ?? 0) + ms); } cur = parent.get(cur); } }
const selfBy = new Map(); for (const [id, ms] of self) { const g = group(where(byId.get(id))); selfBy.set(g, (selfBy.get(g) ?? 0) + ms); }
console.log('total', total.toFixed(1));
console.log('SELF'); for (const [k, v] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(v.toFixed(1).padStart(6), k);
console.log('INCLUSIVE'); for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(v.toFixed(1).padStart(6), k);
