import type { Runtime } from '../runtime.js';
import type { DigestKind } from '../store/types.js';
import { parseWeekLabel } from '../metrics/periods.js';
import { renderTarget } from './digest-render.js';
import { dailyDigest, weeklyScorecard } from '../report/queries.js';
import { visibleScorecard } from '../report/visibility.js';
import { renderWeeklyEmail } from '../email/weekly.js';
import { renderDailyEmail, visibleDaily } from '../email/daily.js';
import { webLink, type EmailContent } from '../email/message.js';
import { createMailer, smtpSettings, type Mailer, type SmtpSettings } from '../email/transport.js';
import { EmailSendError, normalizeRecipients, sendEmailDigest, type EmailResult, type SendDeps } from '../email/send.js';

/**
 * Email digests for one period: the digest's recipients (`email.<kind>`) split into those who may see sensitive
 * metrics (`email.sensitive_recipients`) and those who get a copy without them, one message per list, each exactly
 * once. A send that keeps failing ends in one ops alert.
 */

export interface EmailDigestIo {
  mailer?: Mailer;
  /** Posts to the ops channel; one message when a delivery finally fails or is left unconfirmed. */
  notify?: (text: string) => Promise<void>;
  sleep?: SendDeps['sleep'];
  baseDelayMs?: number;
  maxAttempts?: number;
  staleMs?: number;
}

export interface EmailDigestRun {
  recipients: string[];
  sensitive: boolean;
  result?: EmailResult;
  error?: string;
}

/** Recipient lists for a digest: the sensitive audience first; empty lists are dropped. */
export function recipientLists(rt: Runtime, kind: DigestKind): { recipients: string[]; sensitive: boolean }[] {
  const all = normalizeRecipients(rt.config.email[kind]);
  const allowed = new Set(normalizeRecipients(rt.config.email.sensitive_recipients));
  const lists = [
    { recipients: all.filter((r) => allowed.has(r)), sensitive: true },
    { recipients: all.filter((r) => !allowed.has(r)), sensitive: false },
  ];
  return lists.filter((list) => list.recipients.length > 0);
}

async function render(rt: Runtime, settings: SmtpSettings, kind: DigestKind, period: string, sensitive: boolean): Promise<EmailContent> {
  const canSee = (id: string) => sensitive || !rt.config.metrics[id]?.sensitive;
  const periods = rt.evalContext().periods;
  if (kind === 'weekly') {
    const week = parseWeekLabel(period, periods);
    if (!week) throw new Error(`not a week label: ${period}`);
    const ctx = rt.evalContext();
    const { rowsRead: _rowsRead, ...full } = await weeklyScorecard(rt.store, ctx, week);
    const { view, hidden } = visibleScorecard(full, canSee);
    return renderWeeklyEmail(view, { hidden, link: webLink(settings.publicUrl, `scorecard/${period}`) });
  }
  // A daily digest for a past day reads as it did at 08:00 that day, like the Slack post.
  const ctx = rt.evalContext(renderTarget(rt, kind, period).at);
  const { view, hidden } = visibleDaily(await dailyDigest(rt.store, ctx, kind), canSee);
  return renderDailyEmail(view, { hidden, link: webLink(settings.publicUrl, 'scorecard') }, ctx.now);
}

/** Sends (at most once) every recipient list of one digest period; never throws for a delivery failure. */
export async function emailDigest(rt: Runtime, kind: DigestKind, period: string, io: EmailDigestIo = {}): Promise<EmailDigestRun[]> {
  const lists = recipientLists(rt, kind);
  if (lists.length === 0) return [];
  const settings = smtpSettings(rt.rawEnv);
  if (!settings) {
    rt.logger.info({ kind }, `email.${kind} has recipients but SMTP_URL is not set; the ${kind} digest is not emailed`);
    return [];
  }
  const mailer = io.mailer ?? createMailer(settings);
  const deps: SendDeps = {
    store: rt.store,
    mailer,
    settings,
    logger: rt.logger.child({ component: 'email' }),
    now: rt.now,
    ...(io.sleep ? { sleep: io.sleep } : {}),
    ...(io.baseDelayMs !== undefined ? { baseDelayMs: io.baseDelayMs } : {}),
    ...(io.maxAttempts !== undefined ? { maxAttempts: io.maxAttempts } : {}),
    ...(io.staleMs !== undefined ? { staleMs: io.staleMs } : {}),
  };
  const runs: EmailDigestRun[] = [];
  try {
    for (const list of lists) {
      try {
        const result = await sendEmailDigest(deps, {
          digest: kind,
          period,
          recipients: list.recipients,
          render: () => render(rt, settings, kind, period, list.sensitive),
        });
        runs.push({ ...list, result });
        if (result.outcome === 'became_unconfirmed')
          await alert(
            rt,
            io,
            `:warning: The ${kind} email for ${period} (${list.recipients.length} recipients) may not have been delivered: the sender stopped mid-transaction, so it was not sent again. Message-ID ${result.messageId}.`,
          );
      } catch (error) {
        const text =
          error instanceof EmailSendError ? error.message : settings.redact(error instanceof Error ? error.message : String(error));
        runs.push({ ...list, error: text });
        const attempts = error instanceof EmailSendError ? ` after ${error.attempts} attempt${error.attempts === 1 ? '' : 's'}` : '';
        await alert(
          rt,
          io,
          `:rotating_light: The ${kind} email for ${period} (${list.recipients.length} recipients) failed${attempts}: ${text}`,
        );
      }
    }
  } finally {
    if (!io.mailer) mailer.close();
  }
  return runs;
}

async function alert(rt: Runtime, io: EmailDigestIo, text: string): Promise<void> {
  if (!io.notify) return;
  try {
    await io.notify(text);
  } catch (error) {
    rt.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'could not post the email alert');
  }
}
