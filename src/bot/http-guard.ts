import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';

/**
 * Checks Slack requests can pass before a byte of their body is read: Bolt reads the whole body, then verifies the
 * signature, and only refuses timestamps too far in the past. Here, on the Slack endpoints:
 * - a declared body over the cap (1 MB; Slack's payloads are far smaller) gets 413, and a body without a length 411;
 * - a timestamp more than 5 minutes from now, in either direction, or none at all, gets 401.
 * The signature itself is still Bolt's to check.
 */

export const MAX_SLACK_BODY_BYTES = 1024 * 1024;
const MAX_CLOCK_SKEW_S = 5 * 60;

export interface HttpGuardOptions {
  endpoints: readonly string[];
  maxBodyBytes?: number;
  nowMs?: () => number;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(message);
}

/** Why the request is refused before its body is read, or null to let it through. */
export function screenSlackRequest(req: IncomingMessage, opts: HttpGuardOptions): { status: number; message: string } | null {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'POST' || !opts.endpoints.includes(path ?? '')) return null;
  const length = req.headers['content-length'];
  if (length === undefined) return { status: 411, message: 'Length Required' };
  const bytes = Number(length);
  if (!Number.isInteger(bytes) || bytes < 0) return { status: 400, message: 'Bad Request' };
  if (bytes > (opts.maxBodyBytes ?? MAX_SLACK_BODY_BYTES)) return { status: 413, message: 'Payload Too Large' };
  const stamp = Number(req.headers['x-slack-request-timestamp']);
  const nowS = Math.floor((opts.nowMs ?? Date.now)() / 1000);
  if (!Number.isFinite(stamp) || Math.abs(nowS - stamp) > MAX_CLOCK_SKEW_S) return { status: 401, message: 'Unauthorized' };
  return null;
}

/** Puts the screen in front of the receiver's own request listener (which its server calls per request). */
export function guardReceiver(receiver: HTTPReceiver, opts: HttpGuardOptions): void {
  const next = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const refusal = screenSlackRequest(req, opts);
    if (refusal) {
      // Once the answer is out, the socket goes: the unread body is never buffered.
      res.on('finish', () => req.socket.destroy());
      refuse(res, refusal.status, refusal.message);
      return;
    }
    return next(req, res);
  };
}
