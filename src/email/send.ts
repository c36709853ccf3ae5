import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../store/db.js';
import {
  claimDelivery,
  markDeliveryFailed,
  markDeliverySending,
  markDeliverySent,
  markDeliveryUnconfirmed,
  type DeliveryKey,
} from '../store/deliveries.js';
import type { EmailContent } from './message.js';
import { describeSmtpError, fromDomain, type Mailer, type SmtpSettings } from './transport.js';

/**
 * Sends one email digest exactly once per (digest, period, recipient list). The Message-ID is derived from those
 * three and stored with the ledger claim before the SMTP transaction, so a copy sent by hand later carries the same
 * id (mail clients collapse duplicates by it). See store/deliveries.ts for how a crash mid-send is handled.
 */

export interface EmailDelivery {
  digest: string;
  period: string;
  recipients: string[];
  /** Rendered only when the delivery is actually claimed. */
  render: () => Promise<EmailContent>;
}

export type EmailOutcome = 'sent' | 'already_sent' | 'busy' | 'unconfirmed' | 'became_unconfirmed';

export interface EmailResult {
  outcome: EmailOutcome;
  messageId: string;
  recipients: string[];
  /** SMTP attempts made by this call. */
  attempts: number;
}

export interface SendDeps {
  store: Store;
  mailer: Mailer;
  settings: Pick<SmtpSettings, 'from' | 'redact'>;
  logger: Logger;
  now: () => Date;
  /** Attempts per call before giving up (default 4), with capped exponential backoff between them. */
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  staleMs?: number;
}

/** The SMTP server refused or could not be reached, every attempt: nothing was delivered. */
export class EmailSendError extends Error {
  override readonly name = 'EmailSendError';
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}

export function normalizeRecipients(recipients: string[]): string[] {
  return [...new Set(recipients.map((r) => r.trim().toLowerCase()).filter(Boolean))].sort();
}

export function recipientsHash(recipients: string[]): string {
  return createHash('sha256').update(normalizeRecipients(recipients).join(',')).digest('hex');
}

/** `<scorecard.weekly.2026-W47.1a2b3c4d5e6f7a8b@example.com>`: stable for a digest, period and recipient list. */
export function digestMessageId(digest: string, period: string, recipients: string[], from: string): string {
  return `<scorecard.${digest}.${period}.${recipientsHash(recipients).slice(0, 16)}@${fromDomain(from)}>`;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function sendEmailDigest(deps: SendDeps, delivery: EmailDelivery): Promise<EmailResult> {
  const recipients = normalizeRecipients(delivery.recipients);
  const key: DeliveryKey = { kind: 'email', digest: delivery.digest, period: delivery.period, recipientsHash: recipientsHash(recipients) };
  const messageId = digestMessageId(delivery.digest, delivery.period, recipients, deps.settings.from);
  const log = { digest: delivery.digest, period: delivery.period, recipients: recipients.length, messageId };
  const maxAttempts = deps.maxAttempts ?? 4;
  const sleep = deps.sleep ?? realSleep;
  const baseDelayMs = deps.baseDelayMs ?? 2_000;

  let content: EmailContent | undefined;
  for (let attempt = 1; ; attempt++) {
    const claim = await claimDelivery(deps.store, key, { recipients: recipients.join(','), messageId }, deps.now(), {
      staleMs: deps.staleMs,
    });
    if (claim.outcome !== 'claimed') {
      const outcome: EmailOutcome = claim.outcome === 'sent' ? 'already_sent' : claim.outcome;
      if (outcome === 'became_unconfirmed') deps.logger.warn(log, 'an earlier email send stopped mid-transaction; not sending again');
      else deps.logger.info({ ...log, outcome }, 'email digest not sent again');
      return { outcome, messageId: claim.row.message_id, recipients, attempts: attempt - 1 };
    }
    content ??= await delivery.render();
    await markDeliverySending(deps.store, key, deps.now());
    try {
      await deps.mailer.sendMail({
        from: deps.settings.from,
        to: recipients,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Scorecard-Digest': `${delivery.digest} ${delivery.period}` },
      });
    } catch (error) {
      const failure = describeSmtpError(error, deps.settings.redact);
      if (failure.ambiguous) {
        await markDeliveryUnconfirmed(deps.store, key, failure.text, deps.now());
        deps.logger.warn({ ...log, error: failure.text }, 'the SMTP answer was lost after the message data; not sending again');
        return { outcome: 'became_unconfirmed', messageId, recipients, attempts: attempt };
      }
      await markDeliveryFailed(deps.store, key, failure.text, deps.now());
      if (failure.auth || attempt >= maxAttempts) {
        deps.logger.error({ ...log, attempts: attempt, error: failure.text }, 'email digest failed');
        throw new EmailSendError(failure.text, attempt);
      }
      const delayMs = Math.min(60_000, baseDelayMs * 2 ** (attempt - 1));
      deps.logger.warn({ ...log, attempt, delayMs, error: failure.text }, 'email digest send failed; retrying');
      await sleep(delayMs);
      continue;
    }
    await markDeliverySent(deps.store, key, deps.now());
    deps.logger.info({ ...log, attempts: attempt }, 'email digest sent');
    return { outcome: 'sent', messageId, recipients, attempts: attempt };
  }
}
