import { writeFileSync } from 'node:fs';
import { metricsOf } from '../metrics/catalog.js';
import { exportRows, parseExportRange } from '../report/export.js';
import { weeklyScorecard } from '../report/queries.js';
import { revokeUserSessions } from '../store/web-sessions.js';
import type { Runtime } from '../runtime.js';
import { toCsv } from '../web/csv.js';
import { webSettingsOf } from '../web/deps.js';
import { LINK_TTL_MS, signInLink, signLinkToken } from '../web/link-token.js';
import { weeklyPdf } from '../web/pdf.js';
import { resolveWeek, UsageError } from './common.js';

/**
 * `scorecard export csv|pdf` (the web downloads' own code: report/export.ts + web/csv.ts, web/pdf.ts) and
 * `scorecard web-link`. The CLI runs with the operator's database access, so exports hold every metric.
 */

export async function exportCsvCommand(rt: Runtime, opts: { from?: string; to?: string; grain?: string; output?: string }): Promise<void> {
  const range = parseExportRange(opts.from, opts.to, opts.grain);
  if (!range.ok) throw new UsageError(`export csv: ${range.message}`);
  const csv = toCsv(await exportRows(rt.store, rt.evalContext(), metricsOf(rt.config), range));
  if (opts.output) {
    writeFileSync(opts.output, csv);
    process.stderr.write(`Wrote ${opts.output}\n`);
  } else process.stdout.write(csv);
}

export async function exportPdfCommand(rt: Runtime, opts: { period?: string; output?: string }): Promise<void> {
  if (!opts.output) throw new UsageError('export pdf: give the file to write with -o scorecard.pdf');
  const ctx = rt.evalContext();
  const { week } = resolveWeek(opts.period, ctx);
  const { rowsRead: _rowsRead, ...view } = await weeklyScorecard(rt.store, ctx, week);
  writeFileSync(opts.output, await weeklyPdf(view));
  process.stderr.write(`Wrote ${opts.output} (${view.period.label})\n`);
}

export async function webLinkCommand(rt: Runtime, opts: { user: string; revoke?: boolean; next?: string }): Promise<void> {
  if (opts.revoke) {
    const revoked = await revokeUserSessions(rt.store, opts.user, rt.now());
    process.stdout.write(`Signed ${opts.user} out of ${revoked} web session${revoked === 1 ? '' : 's'}.\n`);
    return;
  }
  const settings = webSettingsOf(rt.env);
  if (!settings) throw new UsageError('web-link needs PUBLIC_URL and WEB_SESSION_SECRET (the web pages are off without them).', 2);
  const link = signInLink(settings.publicUrl, signLinkToken(settings.sessionSecret, opts.user, rt.now()), opts.next);
  process.stdout.write(`${link}\n`);
  process.stderr.write(`Works once, for ${LINK_TTL_MS / 60_000} minutes, for ${opts.user}.\n`);
}
