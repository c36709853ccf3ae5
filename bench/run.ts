import { formatWeeklyBench, runWeeklyBench } from './weekly/run.js';
import { runHubspotBench } from './hubspot/run.js';
import { runAckBench } from './ack/run.js';
import { formatCliBench, runCliBench } from './cli/run.js';
import { benchPostgres } from './postgres.js';
import { formatMixedBench, runMixedBench } from './mixed/run.js';

/**
 * `npm run bench`: every benchmark in one run, so the ratios compare figures measured on the same machine at the same
 * time. Pass names to run a subset: `npm run bench -- weekly ack` (or `-- mixed` alone). Prints figures; asserts nothing.
 */

const all = ['weekly', 'ack', 'mixed', 'cli', 'hubspot'] as const;
type Name = (typeof all)[number];
const asked = process.argv.slice(2).filter((a): a is Name => (all as readonly string[]).includes(a));
const selected: readonly Name[] = asked.length ? asked : all;

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  if (selected.includes('weekly')) {
    console.log(formatWeeklyBench(await runWeeklyBench()));
    console.log('');
  }
  if (selected.includes('ack')) {
    const r = await runAckBench();
    console.log(
      `/metric cash ack latency over HTTP, ${r.requests} signed requests at ${r.concurrency} concurrent (every source hung), SQLite:`,
    );
    console.log(`  bare Bolt app (ack only): p50 ${ms(r.bare.p50)}  p95 ${ms(r.bare.p95)}  p99 ${ms(r.bare.p99)}`);
    console.log(`  Scorecard:                p50 ${ms(r.app.p50)}  p95 ${ms(r.app.p95)}  p99 ${ms(r.app.p99)}`);
    console.log(`  p99 ratio ${r.ratioP99.toFixed(2)}× (target ≤ 1.2×); slowest ack ${ms(r.hungSourcesMaxMs)} (target < 3 s)`);
    console.log(
      `  answer at response_url: p50 ${ms(r.answered.p50)}  p99 ${ms(r.answered.p99)}; ${r.answered.withFigure}/${r.answered.count} carried the figure`,
    );
    console.log('');
    const database = await benchPostgres();
    if (!database) console.log('/metric ack latency on Postgres: no server answered (BENCH_DATABASE_URL), not measured\n');
    else {
      try {
        const p = await runAckBench({ databaseUrl: database.url });
        console.log(`The same on Postgres:`);
        console.log(
          `  Scorecard:                p50 ${ms(p.app.p50)}  p95 ${ms(p.app.p95)}  p99 ${ms(p.app.p99)} (SQLite p99 ${ms(r.app.p99)})`,
        );
        console.log(`  p99 ratio to bare Bolt ${p.ratioP99.toFixed(2)}×; answer p50 ${ms(p.answered.p50)}  p99 ${ms(p.answered.p99)}`);
        console.log('');
      } finally {
        await database.drop();
      }
    }
  }
  if (selected.includes('cli')) {
    const r = await runCliBench();
    console.log(formatCliBench(r));
    console.log('');
  }
  if (selected.includes('mixed')) {
    console.log(formatMixedBench(await runMixedBench()));
    console.log('');
  }
  if (selected.includes('hubspot')) {
    const r = await runHubspotBench();
    console.log('scorecard refresh --source hubspot, one year, 5 owners, against a loopback HubSpot enforcing 100/10 s and 4/s search:');
    console.log(
      `  ${r.requests} requests, ${r.rateLimited} × 429; wall ${(r.wallMs / 1000).toFixed(1)} s vs floor ${(r.floorMs / 1000).toFixed(1)} s = ${r.ratio.toFixed(3)}× (target ≤ 1.1×)`,
    );
    console.log(
      `  peak RSS ${r.peakRssMb} MB (target < 150 MB); weekly per-owner figures equal the ground truth: ${r.ownersMatched ? 'yes' : 'NO'}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
