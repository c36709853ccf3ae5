import { describeValue, type PathSegment, type PendingProblem } from './errors.js';
import { isRecord } from './validate-goals.js';

/**
 * Slack references in the config: channel ids, people (Slack user ids or emails), and the rule that a daily
 * digest showing sensitive metrics only posts to a channel allowed to see them.
 */

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const SLACK_USER_GROUP = /^S[A-Z0-9]{2,}$/;

/** A person: a Slack user id or an email; a metric's owner may also be a Slack user group (S…). */
export function checkPerson(person: string, at: PathSegment[], opts: { group?: boolean } = {}): PendingProblem[] {
  if (SLACK_USER.test(person) || EMAIL.test(person) || (opts.group && SLACK_USER_GROUP.test(person))) return [];
  return [
    {
      at,
      expected: opts.group ? 'a Slack user id (U…), a user group id (S…) or an email address' : 'a Slack user id (U…) or an email address',
      found: describeValue(person),
      hint: 'in Slack: profile → ⋮ → Copy member ID; or use the person’s work email',
    },
  ];
}

export function checkSlack(slack: unknown, digests: unknown, metrics: Record<string, unknown>): PendingProblem[] {
  if (!isRecord(slack)) return [];
  const problems: PendingProblem[] = [];
  const channel = (value: unknown, at: PathSegment[]) => {
    if (typeof value !== 'string' || value === '' || SLACK_CHANNEL.test(value)) return;
    problems.push({
      at,
      expected: 'a Slack channel id like C0123ABCD (not a #name)',
      found: describeValue(value),
      hint: 'in Slack: open the channel → its name → About → Channel ID',
    });
  };
  const people = (list: unknown, at: PathSegment[]) => {
    if (!Array.isArray(list)) return;
    list.forEach((person, index) => {
      if (typeof person === 'string') problems.push(...checkPerson(person, [...at, index]));
    });
  };

  const channels = isRecord(slack.channels) ? slack.channels : {};
  for (const [key, value] of Object.entries(channels)) channel(value, ['slack', 'channels', key]);
  people(slack.admins, ['slack', 'admins']);
  const access = isRecord(slack.sensitive_access) ? slack.sensitive_access : {};
  people(access.users, ['slack', 'sensitive_access', 'users']);
  const allowedChannels = Array.isArray(access.channels) ? access.channels : [];
  for (const [index, value] of allowedChannels.entries()) channel(value, ['slack', 'sensitive_access', 'channels', index]);
  if (isRecord(slack.users)) {
    for (const [email, userId] of Object.entries(slack.users)) {
      if (!EMAIL.test(email))
        problems.push({ at: ['slack', 'users', email], atKey: true, expected: 'an email address as the key', found: describeValue(email) });
      if (typeof userId === 'string' && !SLACK_USER.test(userId)) {
        problems.push({ at: ['slack', 'users', email], expected: 'a Slack user id like U0123ABCD', found: describeValue(userId) });
      }
    }
  }

  // A daily digest posts to everyone in its channel: sensitive figures may only go to a channel allowed to see them.
  const lists = isRecord(digests) ? digests : {};
  for (const digest of ['cash', 'support']) {
    const target = channels[digest];
    const ids = Array.isArray(lists[digest]) ? (lists[digest] as unknown[]) : [];
    const sensitive = ids.filter((id): id is string => typeof id === 'string' && isRecord(metrics[id]) && metrics[id].sensitive === true);
    if (typeof target !== 'string' || sensitive.length === 0 || allowedChannels.includes(target)) continue;
    problems.push({
      at: ['slack', 'channels', digest],
      expected: `a channel listed in slack.sensitive_access.channels, since the ${digest} digest shows ${sensitive.join(', ')}`,
      found: `"${target}", which is not listed`,
      hint: `add "${target}" to slack.sensitive_access.channels (make sure it is private), or drop sensitive metrics from digests.${digest}`,
    });
  }
  return problems;
}
