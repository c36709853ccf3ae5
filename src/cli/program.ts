import { errorMessage } from '../errors.js';
import { Command, Option } from 'commander';
import type { Runtime } from '../runtime.js';
import { UsageError, withRuntime, type GlobalOptions } from './common.js';

// Each command imports what it needs when it runs (below), so `--help` or `metric cash` never loads Bolt, axios or
// every source. Only commander and the error helpers load up front. The build bundles this module and everything it
// imports, but `start`, into one CommonJS file that main.ts runs with V8's code cache (scripts/bundle-cli.mjs).

/** What the entry point hands the program: the bot's module, loaded by the entry itself (see main.ts). */
export interface CliEntry {
  loadStart: () => Promise<typeof import('./start.js')>;
}

let entry: CliEntry | undefined;

const program = new Command('scorecard')
  .description('Weekly KPI scorecard and daily digests, from cached daily snapshots.')
  .addOption(new Option('--now <iso>', 'pretend it is this instant (reproducible output)').env('SCORECARD_NOW'))
  .addOption(new Option('--config <file>', 'scorecard.yml to use').env('SCORECARD_CONFIG'))
  .option('--database <url>', 'database URL, e.g. sqlite:./data/scorecard.db (default DATABASE_URL)')
  .showHelpAfterError();

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

async function slackOpsNotifier(rt: Runtime, token: string) {
  const { createSlackClient } = await import('../slack/client.js');
  const { opsNotifier } = await import('../jobs/ops-alerts.js');
  return opsNotifier(rt.config, createSlackClient({ token, apiUrl: rt.env.SLACK_API_URL, logger: rt.logger }));
}

program
  .command('start')
  .description('run the Slack bot and the scheduler (Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT at /slack/events; GET /healthz)')
  .action(async () => {
    if (!entry) throw new Error('runCli was not called');
    return (await entry.loadStart()).startCommand(globals());
  });

program
  .command('demo')
  .description('build a demo database from deterministic sample data and print every digest (no credentials needed)')
  .option('--json', 'print the view models as JSON')
  .option('--wide', 'every column, whatever the terminal width')
  .action(async (opts: { json?: boolean; wide?: boolean }) => {
    const { demoCommand } = await import('./demo.js');
    await demoCommand({ ...globals(), database: undefined }, { database: globals().database, json: opts.json, wide: opts.wide });
  });

program
  .command('digest')
  .description('render a digest: weekly, cash or support')
  .argument('<kind>', 'weekly | cash | support')
  .option('--period <period>', 'week (2026-W47, last-week, this-week) or day (2026-11-20)')
  .option('--json', 'print the view model as JSON')
  .option('--wide', 'every column, whatever the terminal width')
  .option('--post', 'post it to its Slack channel (once per period and channel; later runs update it in place)')
  .option('--email', 'email it to email.<kind> in the config (once per period and recipient list)')
  .action((kind: string, opts: { period?: string; json?: boolean; wide?: boolean; post?: boolean; email?: boolean }) =>
    withRuntime(globals(), async (rt) => {
      const { digestCommand } = await import('./digest.js');
      if (opts.email) {
        const { emailDigestCommand } = await import('./email.js');
        const token = rt.env.SLACK_BOT_TOKEN;
        const notify = token && rt.config.slack.channels.ops ? await slackOpsNotifier(rt, token) : undefined;
        if (!(await emailDigestCommand(rt, kind, opts, notify ? { notify } : {}))) process.exitCode = 1;
        if (!opts.post) return;
      }
      if (!opts.post) return digestCommand(rt, kind, opts);
      // Loaded only when posting: the Slack client is not needed to print a digest.
      const { postDigestCommand } = await import('./post.js');
      await postDigestCommand(rt, kind, opts);
    }),
  );

program
  .command('metric')
  .description('one metric: figure, goal, status and why, trend, freshness, definition ("list" lists them)')
  .argument(
    '<query...>',
    'metric id, name or alias, whole or a unique start or part of it (any case, spaces and dashes ignored); a typo is not answered but gets suggestions',
  )
  .option('--period <period>', 'week (2026-W47) or a day inside it')
  .option('--json', 'print one JSON object')
  .option('--wide', 'no wrapping to the terminal width')
  .action(async (words: string[], opts: { period?: string; json?: boolean; wide?: boolean }) => {
    const { listMetrics, metricCommand, metricsAsked } = await import('./metric.js');
    const query = words.join(' ');
    // Only the asked metric's source is loaded (to say whether it is connected), not every source.
    await withRuntime(globals(), async (rt) => (query === 'list' ? listMetrics(rt, opts) : metricCommand(rt, query, opts)), {
      connectionsFor: (config) => metricsAsked(config, query),
    });
  });

program
  .command('log')
  .description('log a manual entry (same rules as the Slack modal)')
  .argument('<metric>')
  .argument('<value>')
  .requiredOption('--user <id>', 'Slack user id or email the entry counts for')
  .option('--date <day>', 'local day, default today')
  .option('--note <text>', 'optional note (≤ 500 characters)')
  .action((metric: string, value: string, opts: { user: string; date?: string; note?: string }) =>
    withRuntime(globals(), async (rt) => (await import('./log.js')).logCommand(rt, metric, value, opts)),
  );

program
  .command('refresh')
  .description('collect daily values from every configured source (default: the trailing 7 days)')
  .option('--source <id...>', 'only these sources')
  .option('--from <day>', 'first local day')
  .option('--to <day>', 'last local day')
  .option('--full', 're-collect the range only, without the late changes older days get from modification cursors')
  .action((opts: { source?: string[]; from?: string; to?: string; full?: boolean }) =>
    withRuntime(globals(), async (rt) => {
      // With Slack configured, a source failing for the Nth time in a row alerts the ops channel, as the scheduler does.
      const token = rt.env.SLACK_BOT_TOKEN;
      const notify = token && rt.config.slack.channels.ops ? await slackOpsNotifier(rt, token) : undefined;
      const { refreshCommand } = await import('./refresh.js');
      const summary = await refreshCommand(rt, opts, notify);
      if (!summary.ok) process.exitCode = 1;
    }),
  );

program
  .command('sheets')
  .description('the Google Sheets mirror')
  .command('sync')
  .option('--from <day>', 'first local day to write (default: the whole window, sheets.window_days)')
  .description('write the Daily, Weekly and Sync_Log tabs now (upsert; rows past the window are removed)')
  .action((opts: { from?: string }) =>
    withRuntime(globals(), async (rt) => {
      const { sheetsSyncCommand } = await import('./sheets.js');
      const token = rt.env.SLACK_BOT_TOKEN;
      const notify = token && rt.config.slack.channels.ops ? await slackOpsNotifier(rt, token) : undefined;
      if (!(await sheetsSyncCommand(rt, opts, notify ? { notify } : {})).ok) process.exitCode = 1;
    }),
  );

program
  .command('doctor')
  .description('check the config, the database and every configured source')
  .option('--timeout <seconds>', 'per-probe timeout (one attempt each)', '5')
  .action(async (opts: { timeout: string }) => {
    const { doctorCommand } = await import('./doctor.js');
    if (!(await doctorCommand(globals(), opts))) process.exitCode = 1;
  });

program
  .command('backup')
  .description('copy the database with SQLite online backup (safe while the bot runs)')
  .argument('<file>')
  .action((file: string) =>
    withRuntime(globals(), async (rt) => {
      const { backupTo } = await import('../store/db.js');
      await backupTo(rt.store, file);
      process.stdout.write(`Backed up ${rt.store.location} to ${file}\n`);
    }),
  );

const db = program.command('db').description('database maintenance');
db.command('copy')
  .description('copy every table from one database to another (e.g. SQLite to Postgres); safe to re-run; checks row counts')
  .requiredOption('--from <url>', 'source, e.g. sqlite:./data/scorecard.db')
  .requiredOption('--to <url>', 'target, e.g. postgres://user@host:5432/scorecard')
  .action(async (opts: { from: string; to: string }) => {
    const { dbCopyCommand } = await import('./db-copy.js');
    await dbCopyCommand(opts);
  });

program
  .command('import')
  .description('import figures from files')
  .command('ad-spend')
  .argument('<file.csv>', 'columns date,channel,spend_usd (one row per channel and day)')
  .option('--metric <id>', 'the currency metric to fill', 'ad_spend')
  .description('daily ad spend for cost per MQL; re-importing a day replaces it')
  .action((file: string, opts: { metric: string }) =>
    withRuntime(globals(), async (rt) => (await import('./import.js')).importAdSpend(rt, file, opts)),
  );

const exportCommand = program.command('export').description('download figures: csv (metric × week or day) or pdf (one week)');
exportCommand
  .command('csv')
  .description('one row per metric and period (RFC 4180; formula-like text escaped)')
  .requiredOption('--from <day>', 'first local day, e.g. 2026-09-01')
  .requiredOption('--to <day>', 'last local day, e.g. 2026-11-30')
  .option('--grain <grain>', 'week | day', 'week')
  .option('-o, --output <file>', 'write here instead of stdout')
  .action((opts: { from: string; to: string; grain: string; output?: string }) =>
    withRuntime(globals(), async (rt) => (await import('./export.js')).exportCsvCommand(rt, opts)),
  );
exportCommand
  .command('pdf')
  .description("the week's scorecard as a PDF (Letter landscape)")
  .option('--period <period>', 'week (2026-W47, last-week, this-week); default the last completed week')
  .requiredOption('-o, --output <file>', 'the PDF file to write')
  .action((opts: { period?: string; output: string }) =>
    withRuntime(globals(), async (rt) => (await import('./export.js')).exportPdfCommand(rt, opts)),
  );

program
  .command('web-link')
  .description("print a one-time sign-in link to the web pages (10 minutes), or --revoke a person's sessions")
  .requiredOption('--user <id>', 'the Slack user id to sign in as')
  .option('--next <path>', 'the page to land on, e.g. /metrics/cash')
  .option('--revoke', 'sign this person out of every web session instead')
  .action((opts: { user: string; next?: string; revoke?: boolean }) =>
    withRuntime(globals(), async (rt) => (await import('./export.js')).webLinkCommand(rt, opts)),
  );

program
  .command('simplefin')
  .description('SimpleFIN set-up')
  .command('claim')
  .argument('<setup-token>')
  .description('exchange a one-time setup token for an access URL (printed once: keep it in SIMPLEFIN_ACCESS_URL)')
  .action(async (token: string) => {
    const { claimSetupToken } = await import('../integrations/simplefin/claim.js');
    const accessUrl = await claimSetupToken(token, { baseUrl: process.env.SIMPLEFIN_BASE_URL });
    process.stdout.write(
      `${accessUrl}\n\nThis is shown once. Put it in your environment as SIMPLEFIN_ACCESS_URL (it contains credentials; never commit it or paste it in Slack).\n`,
    );
  });

/** Runs the command line in process.argv; failures set the exit code and print one clear message. */
export function runCli(from: CliEntry): Promise<void> {
  entry = from;
  return program.parseAsync(process.argv).then(
    () => undefined,
    (error: unknown) => reportFailure(error),
  );
}

function reportFailure(error: unknown): void {
  // By name, not class: `start` runs on separately loaded modules (scripts/bundle-cli.mjs), with their own classes.
  if (error instanceof Error && error.name === 'ConfigError') {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof Error && error.name === 'BotSetupError') {
    // Missing Slack settings for `scorecard start`: the message names each variable, never a value.
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    const message = errorMessage(error);
    process.stderr.write(`scorecard: ${message}\n`);
    if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
