import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A throwaway Postgres database for a benchmark, on BENCH_DATABASE_URL's server (default: the local one the tests
 * use). Undefined when no server answers: the benchmark then reports SQLite only and says so.
 */
export async function benchPostgres(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const admin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const name = `scorecard_bench_${randomBytes(6).toString('hex')}`;
  try {
    await run(`create database ${name}`);
  } catch {
    return undefined;
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}
