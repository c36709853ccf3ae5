// zod's functional build: a CLI command validates its environment before anything else, and the classic build's
// namespace (every schema kind and locale) took ~10 ms to set up; this one bundles and loads only what is used here.
import * as z from 'zod/mini';
import { ConfigError, describeValue, type Problem } from './errors.js';

/**
 * The core environment (Slack, database, server). Source credentials are read by each source itself.
 * Secrets never appear in a problem: for them the message says what is wrong, not what the value is.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** SQLite (`sqlite:./file.db`, `sqlite:///abs/file.db`, `sqlite::memory:`) or Postgres (`postgres://user@host:5432/db`). */
export const DATABASE_SCHEMES = ['sqlite:', 'postgres:', 'postgresql:'] as const;
export const DEFAULT_DATABASE_URL = 'sqlite:./data/scorecard.db';

/** Variables whose values must never be echoed (DATABASE_URL and SLACK_API_URL may embed a password). */
const SECRET_VARIABLES = new Set([
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'DATABASE_URL',
  'SLACK_API_URL',
  'WEB_SESSION_SECRET',
]);

function schemeOf(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*:)/i.exec(url)?.[1]?.toLowerCase();
}

const optionalText = () => z.optional(z.string());
const isoInstant = (error: string) =>
  z.optional(
    z.pipe(
      z.iso.datetime({ offset: true, error }),
      z.transform((text: string) => new Date(text)),
    ),
  );

export const coreEnvSchema = z.object({
  /** Path of scorecard.yml; see `resolveConfigPath`. */
  SCORECARD_CONFIG: optionalText(),
  DATABASE_URL: z._default(
    z.string().check(
      z.refine((url) => (DATABASE_SCHEMES as readonly string[]).includes(schemeOf(url) ?? '') && url.replace(/^[^:]+:(\/\/)?/, '') !== '', {
        message: `a URL starting with ${DATABASE_SCHEMES.join(' or ')} and a file path or host, e.g. ${DEFAULT_DATABASE_URL}`,
      }),
    ),
    DEFAULT_DATABASE_URL,
  ),
  SLACK_BOT_TOKEN: z.optional(z.string().check(z.startsWith('xoxb-', 'a bot token starting with xoxb-'))),
  SLACK_SIGNING_SECRET: optionalText(),
  SLACK_APP_TOKEN: z.optional(z.string().check(z.startsWith('xapp-', 'an app-level token starting with xapp-'))),
  SLACK_API_URL: z.optional(z.url({ protocol: /^https?$/, error: 'an http(s) URL like https://slack.com/api/' })),
  PORT: z._default(
    z.coerce.number({ error: 'a port number' }).check(
      z.refine((port: number) => Number.isInteger(port), 'a whole port number'),
      z.minimum(1, 'a port between 1 and 65535'),
      z.maximum(65535, 'a port between 1 and 65535'),
    ),
    3000,
  ),
  LOG_LEVEL: z._default(z.enum(LOG_LEVELS), 'info'),
  /** Where people reach the web pages (sign-in links start with it); the pages are served only with both set. */
  PUBLIC_URL: z.optional(z.url({ protocol: /^https?$/, error: 'an http(s) URL like https://scorecard.example.com' })),
  /** Signs the one-time sign-in links (HMAC-SHA256); at least 32 characters, e.g. `openssl rand -hex 32`. */
  WEB_SESSION_SECRET: z.optional(z.string().check(z.minLength(32, 'a secret of at least 32 characters (openssl rand -hex 32)'))),
  /** Optional *Sign in with Slack* on the web pages (Basic Information → App Credentials). */
  SLACK_CLIENT_ID: optionalText(),
  SLACK_CLIENT_SECRET: optionalText(),
  SCORECARD_NOW: isoInstant('an ISO instant like 2026-11-16T08:00:00Z'),
  /**
   * A testing and rehearsal aid: the clock starts at SCORECARD_NOW and runs this many times real speed (720 = a day
   * in two minutes), and the scheduler fires on it. See `makeClock` in now.ts.
   */
  SCORECARD_CLOCK_RATE: z.optional(
    z.coerce
      .number({ error: 'a speed factor like 720 (simulated seconds per real second)' })
      .check(z.positive('a speed factor above 0, like 720'), z.maximum(100_000, 'a speed factor of at most 100000')),
  ),
  /** The real instant the running clock leaves SCORECARD_NOW (default: process start); replicas share one clock with it. */
  SCORECARD_CLOCK_STARTED: isoInstant('an ISO instant like 2026-12-07T04:00:00Z'),
});

export type CoreEnv = z.output<typeof coreEnvSchema>;

export function loadEnv(env: Env = process.env): CoreEnv {
  const names = Object.keys(coreEnvSchema.shape) as (keyof CoreEnv)[];
  // `VAR=` in a .env file means "not set", not "set to nothing".
  const input: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') input[name] = value.trim();
  }
  const result = coreEnvSchema.safeParse(input);
  if (result.success) return result.data;

  const problems: Problem[] = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const value = input[name];
    return { path: name, expected: expectationOf(issue), found: foundText(name, value), hint: hintFor(name, value) };
  });
  throw new ConfigError('environment', problems);
}

function expectationOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `one of ${issue.values.map(String).join(', ')}`;
  return issue.message;
}

function foundText(name: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (!SECRET_VARIABLES.has(name)) return describeValue(value);
  if (name === 'DATABASE_URL') return `a URL with scheme ${JSON.stringify(schemeOf(value) ?? '(none)')} (rest not shown)`;
  if (name === 'SLACK_BOT_TOKEN') return `a value that does not start with xoxb- (${value.length} characters, not shown)`;
  if (name === 'SLACK_APP_TOKEN') return `a value that does not start with xapp- (${value.length} characters, not shown)`;
  return `a value that is not valid (${value.length} characters, not shown)`;
}

function hintFor(name: string, value: string | undefined): string | undefined {
  if (name === 'SLACK_BOT_TOKEN' && value?.startsWith('xapp-')) return 'that is the app-level token: put it in SLACK_APP_TOKEN';
  if (name === 'SLACK_APP_TOKEN' && value?.startsWith('xoxb-')) return 'that is the bot token: put it in SLACK_BOT_TOKEN';
  if (name === 'SLACK_BOT_TOKEN') return 'copy the Bot User OAuth Token from the Slack app page → OAuth & Permissions';
  if (name === 'SLACK_APP_TOKEN') return 'create an app-level token with connections:write under Basic Information';
  if (name === 'DATABASE_URL') return `use ${DEFAULT_DATABASE_URL}, or unset it for that default`;
  if (name === 'LOG_LEVEL') return 'unset it for the default (info)';
  return undefined;
}
