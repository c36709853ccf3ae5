import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) that checks credentials and keeps every accepted
 * message, parsed by `mailparser`. `failNext(n, code)` makes the next n transactions fail at the end of DATA with a
 * temporary (4xx) or permanent (5xx) reply, as a real server under trouble does.
 */

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
}

export interface SmtpPeer {
  url: (user?: string, pass?: string) => string;
  port: number;
  received: ReceivedMail[];
  /** Successful AUTH exchanges, and refused ones. */
  logins: { ok: number; refused: number };
  failNext(count: number, code?: number): void;
  close(): Promise<void>;
}

export async function startSmtpPeer(credentials: { user: string; pass: string }): Promise<SmtpPeer> {
  const received: ReceivedMail[] = [];
  const logins = { ok: 0, refused: 0 };
  let failures: { left: number; code: number } = { left: 0, code: 451 };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) {
        logins.ok++;
        callback(null, { user: auth.username });
      } else {
        logins.refused++;
        callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
      }
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (failures.left > 0) {
          failures.left--;
          callback(Object.assign(new Error('Try again later'), { responseCode: failures.code }));
          return;
        }
        simpleParser(Buffer.concat(chunks)).then(
          (parsed) => {
            received.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              parsed,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: (user = credentials.user, pass = credentials.pass) =>
      `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    received,
    logins,
    failNext(count, code = 451) {
      failures = { left: count, code };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
