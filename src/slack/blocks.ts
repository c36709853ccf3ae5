import type { KnownBlock, MrkdwnElement, PlainTextElement } from '@slack/types';
import type { DataVisualizationBlock } from './chart.js';

/** One chat message as the digests post it: blocks for people (charts too), `text` for notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: (KnownBlock | DataVisualizationBlock)[];
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

/** Mentions for owners given as emails: email (lower case) → Slack user id, from config and the lookup cache. */
export type Mentions = ReadonlyMap<string, string>;

/**
 * How an owner reads in mrkdwn: a Slack user id as a mention (`<@U…>`), a user group id as the group's mention
 * (`<!subteam^S…>`), an email as the mention of the user it resolves to, else the configured name or the email.
 */
export function ownerMention(owner: string | null, ownerName: string | null, mentions: Mentions = new Map()): string | null {
  if (!owner) return ownerName ? escapeMrkdwn(ownerName) : null;
  if (/^[UW][A-Z0-9]{2,}$/.test(owner)) return `<@${owner}>`;
  if (/^S[A-Z0-9]{2,}$/.test(owner)) return `<!subteam^${owner}>`;
  const id = mentions.get(owner.toLowerCase());
  if (id) return `<@${id}>`;
  return escapeMrkdwn(ownerName ?? owner);
}

/** The mentions the config already knows: `slack.users` (email → Slack user id). */
export function configMentions(users: Readonly<Record<string, string>>): Mentions {
  return new Map(Object.entries(users).map(([email, id]) => [email.toLowerCase(), id]));
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
