import type { Runtime } from '../runtime.js';
import { localDayOf } from '../metrics/periods.js';
import type { DigestKind } from '../store/types.js';
import { emailDigest, recipientLists, type EmailDigestIo } from '../jobs/email-digests.js';
import { createMailer, describeSmtpError, EmailSetupError, smtpSettings } from '../email/transport.js';
import { resolveWeek, UsageError } from './common.js';
import type { DoctorLine } from './doctor.js';

/**
 * `scorecard digest <kind> --email`: emails the digest to `email.<kind>` by hand, exactly once per period and
 * recipient list (a second run reports "already sent"). Exit code 1 when a list could not be sent.
 */
export async function emailDigestCommand(
  rt: Runtime,
  kind: string,
  opts: { period?: string },
  io: EmailDigestIo & { out?: (line: string) => void } = {},
): Promise<boolean> {
  if (kind !== 'weekly' && kind !== 'cash' && kind !== 'support')
    throw new UsageError(`unknown digest "${kind}" — use weekly, cash or support`);
  if (recipientLists(rt, kind).length === 0)
    throw new UsageError(`--email needs recipients: add email.${kind}: [someone@example.com] to ${rt.configPath}`);
  try {
    if (!smtpSettings(rt.rawEnv)) throw new UsageError('--email needs SMTP_URL (smtp://user:pass@host:587) and EMAIL_FROM');
  } catch (error) {
    if (error instanceof EmailSetupError) throw new UsageError(error.message, 2);
    throw error;
  }
  const period = periodFor(rt, kind, opts.period);
  const out = io.out ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const runs = await emailDigest(rt, kind, period, io);
  for (const run of runs) {
    const who = `${run.recipients.length} recipient${run.recipients.length === 1 ? '' : 's'}${run.sensitive ? ' (with sensitive metrics)' : ''}`;
    out(
      run.result
        ? `${kind} ${period} → ${who}: ${run.result.outcome.replace('_', ' ')} ${run.result.messageId}`
        : `${kind} ${period} → ${who}: failed: ${run.error}`,
    );
  }
  return runs.every((run) => run.result !== undefined);
}

function periodFor(rt: Runtime, kind: DigestKind, period: string | undefined): string {
  const ctx = rt.evalContext();
  if (kind === 'weekly') return resolveWeek(period, ctx).week.label;
  if (period === undefined) return localDayOf(ctx.now, ctx.periods.timezone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(period))
    throw new UsageError(`--period for the ${kind} digest is a day like 2026-11-20 — got "${period}"`);
  return period;
}

/** Doctor's SMTP line: connects, says EHLO and authenticates (nodemailer's verify), sends nothing. */
export async function smtpCheck(rt: Runtime, opts: { timeoutMs?: number } = {}): Promise<DoctorLine> {
  let settings: ReturnType<typeof smtpSettings>;
  try {
    settings = smtpSettings(rt.rawEnv);
  } catch (error) {
    return { check: 'smtp', ok: false, detail: (error as Error).message };
  }
  if (!settings)
    return { check: 'smtp', ok: true, skipped: true, detail: 'not configured (set SMTP_URL and EMAIL_FROM); digests are not emailed' };
  const mailer = createMailer(settings, { timeoutMs: opts.timeoutMs ?? 10_000 });
  const where = `${settings.host}:${settings.port}${settings.secure ? ' (TLS)' : ''}`;
  try {
    await mailer.verify();
    return { check: 'smtp', ok: true, detail: `${where}: connected${settings.auth ? ' and authenticated' : ''}; nothing sent` };
  } catch (error) {
    return { check: 'smtp', ok: false, detail: `${where}: ${describeSmtpError(error, settings.redact).text}` };
  } finally {
    mailer.close();
  }
}
