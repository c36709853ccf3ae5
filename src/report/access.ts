import type { Config, Metric } from '../config/schema.js';

/**
 * Who may do what. The config names people by Slack user id or by email (owners, admins, sensitive access);
 * a Slack request only carries the user id, so a person is their id plus every email known to be theirs:
 * the emails `slack.users` maps to that id, and the one users.info returned (learnt on App Home, cached).
 */

export interface Identity {
  userId: string;
  emails: string[];
}

export function identityOf(config: Config, userId: string, learntEmail?: string): Identity {
  const mapped = Object.entries(config.slack.users)
    .filter(([, id]) => id === userId)
    .map(([email]) => email.toLowerCase());
  const emails = learntEmail ? [...mapped, learntEmail.toLowerCase()] : mapped;
  return { userId, emails: [...new Set(emails)] };
}

/** A config person (user id or email) is this identity. */
export function isPerson(person: string | undefined | null, who: Identity): boolean {
  if (!person) return false;
  if (person === who.userId) return true;
  return person.includes('@') && who.emails.includes(person.toLowerCase());
}

export function isAdmin(config: Config, who: Identity): boolean {
  return config.slack.admins.some((person) => isPerson(person, who));
}

export function ownsMetric(metric: Pick<Metric, 'owner'>, who: Identity): boolean {
  return isPerson(metric.owner, who);
}

/**
 * A sensitive figure (cash) is shown to a listed user anywhere, or to anyone in a listed channel (everyone there
 * may see it already: the cash digest posts there). Metrics not marked sensitive are open to all.
 */
export function canSeeMetric(config: Config, metric: Pick<Metric, 'sensitive'>, who: Identity, channelId?: string): boolean {
  if (!metric.sensitive) return true;
  const access = config.slack.sensitive_access;
  if (access.users.some((person) => isPerson(person, who))) return true;
  return channelId !== undefined && access.channels.includes(channelId);
}

/** Sharing posts to everyone in the channel, so for a sensitive metric the channel itself must be listed. */
export function canShareInChannel(config: Config, metric: Pick<Metric, 'sensitive'>, channelId: string | undefined): boolean {
  if (!metric.sensitive) return true;
  return channelId !== undefined && config.slack.sensitive_access.channels.includes(channelId);
}

/** The entry's owner, whoever typed it, and admins may change an entry. */
export function canChangeEntry(config: Config, entry: { user_id: string; entered_by: string }, who: Identity): boolean {
  return isPerson(entry.user_id, who) || isPerson(entry.entered_by, who) || isAdmin(config, who);
}
