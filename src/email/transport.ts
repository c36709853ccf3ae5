import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Env } from '../integrations/source.js';
import { createRedactor } from '../integrations/redact.js';

/**
 * SMTP settings from the environment: `SMTP_URL` (`smtp://user:pass@host:587` or `smtps://…:465`) and `EMAIL_FROM`.
 * The URL is taken apart here so the password is handed to nodemailer as a field, never as a URL it might log, and
 * every message about it names the host only.
 */

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
  from: string;
  /** PUBLIC_URL: messages link to the web page when set. */
  publicUrl?: string;
  /** Removes the SMTP credentials from any text (errors, logs). */
  redact: (text: string) => string;
}

export class EmailSetupError extends Error {
  override readonly name = 'EmailSetupError';
}

const value = (env: Env, name: string) => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

/** Null when email is not set up (no SMTP_URL); throws EmailSetupError with a readable message when it is set up wrongly. */
export function smtpSettings(env: Env): SmtpSettings | null {
  const raw = value(env, 'SMTP_URL');
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EmailSetupError('SMTP_URL is not a URL — expected smtp://user:pass@host:587 or smtps://user:pass@host:465 (value not shown)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new EmailSetupError(`SMTP_URL must start with smtp:// or smtps:// — found ${url.protocol}// (rest not shown)`);
  if (!url.hostname) throw new EmailSetupError('SMTP_URL has no host — expected smtp://user:pass@host:587');
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const from = value(env, 'EMAIL_FROM');
  if (!from) throw new EmailSetupError('EMAIL_FROM is not set — the sender address, e.g. "Scorecard <scorecard@example.com>"');
  if (!/@[^@\s>]+\.?[^@\s>]*>?\s*$/.test(from)) throw new EmailSetupError(`EMAIL_FROM must be an email address — found "${from}"`);
  const redact = createRedactor([pass, user && pass ? `${user}:${pass}` : undefined, url.password, raw]);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    secure,
    ...(user || pass ? { auth: { user, pass } } : {}),
    from,
    ...(value(env, 'PUBLIC_URL') ? { publicUrl: value(env, 'PUBLIC_URL') } : {}),
    redact,
  };
}

/** The parts of nodemailer's transporter the senders use (tests may wrap it). */
export interface Mailer {
  sendMail(message: SendMailOptions): Promise<{ messageId: string; accepted: unknown[]; rejected: unknown[]; response: string }>;
  verify(): Promise<true>;
  close(): void;
}

export interface MailerOptions {
  /** Per-stage timeouts in ms (connection, greeting, socket); defaults suit a real server. */
  timeoutMs?: number;
}

export function createMailer(settings: SmtpSettings, opts: MailerOptions = {}): Mailer {
  const timeout = opts.timeoutMs ?? 30_000;
  // logger: false — nodemailer's own logger would print the AUTH exchange (base64 credentials).
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.auth ? { auth: settings.auth } : {}),
    logger: false,
    debug: false,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
}

/** The address part of EMAIL_FROM, for the Message-ID's right-hand side. */
export function fromDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.slice(address.lastIndexOf('@') + 1).trim() || 'scorecard.local';
}

export interface SmtpFailure {
  /** Short, redacted: code, SMTP reply code and message. */
  text: string;
  /** The server may have accepted the message (the answer to the message data was lost). */
  ambiguous: boolean;
  /** Credentials refused: retrying will not help. */
  auth: boolean;
}

/** Classifies a nodemailer error without ever including credentials. */
export function describeSmtpError(error: unknown, redact: (text: string) => string): SmtpFailure {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'ERROR';
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const text = redact(`${code}${responseCode ? ` ${responseCode}` : ''}: ${message}`).slice(0, 500);
  // Lost after the message data went out: no reply code, and the last command was DATA (the final ".").
  const ambiguous = responseCode === undefined && e.command === 'DATA' && ['ETIMEDOUT', 'ESOCKET', 'ECONNECTION'].includes(code);
  return { text, ambiguous, auth: code === 'EAUTH' };
}
