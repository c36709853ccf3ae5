import type { KnownBlock, MrkdwnElement, PlainTextElement } from '@slack/types';

/** One chat message as the digests post it: blocks for people, `text` for notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export const plain = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });
export const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });

/** Cuts `text` to `max` characters with an ellipsis; Slack rejects over-long fields rather than truncating them. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Slack mrkdwn treats &, < and > as control characters (links, mentions); names from the config are escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * How an owner reads in plain text (table cells cannot mention): the local part of an email, else the configured
 * value (a Slack user id).
 */
export function ownerLabel(owner: string | null): string {
  if (!owner) return '—';
  const at = owner.indexOf('@');
  return at > 0 ? owner.slice(0, at) : owner;
}

/** Packs lines into chunks of at most `max` characters (joined by newlines); a single longer line is clipped. */
export function packLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = clip(raw, max);
    if (current === '') current = line;
    else if (current.length + 1 + line.length <= max) current += `\n${line}`;
    else {
      chunks.push(current);
      current = line;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}
