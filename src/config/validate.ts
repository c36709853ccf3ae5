import { validate as isValidCron, validateDetailed as explainCron } from 'node-cron';
import { describeValue, type PathSegment, type PendingProblem } from './errors.js';
import { didYouMean, nearest } from './suggest.js';
import { checkGoal, checkGoalChanges, isRecord, realDateProblem } from './validate-goals.js';
import { checkPerson, checkSlack } from './validate-slack.js';
import { checkMetricSources, checkSourceSettings, type SourceSchemas } from './validate-sources.js';

/**
 * Cross-field rules of `scorecard.yml`. They run on the raw document next to the schema check (not after it),
 * so one run lists every problem. Each rule reads defensively and stays silent about values of the wrong type:
 * the schema already reports those.
 */

const METRIC_ID = /^[a-z0-9_]+$/;

export function validateConfig(raw: unknown, schemas: SourceSchemas = {}): PendingProblem[] {
  if (!isRecord(raw)) return [];
  const metrics = isRecord(raw.metrics) ? raw.metrics : {};
  return [
    ...checkOrg(raw.org),
    ...checkGroups(raw.groups, metrics),
    ...checkMetrics(metrics),
    ...checkSchedule(raw.schedule),
    ...checkDigests(raw.digests, metrics),
    ...checkSlack(raw.slack, raw.digests, metrics),
    ...checkSupport(raw.support),
    ...checkMetricSources(metrics, schemas),
    ...checkSourceSettings(raw.sources, schemas),
  ];
}

function checkOrg(org: unknown): PendingProblem[] {
  if (!isRecord(org) || typeof org.timezone !== 'string' || org.timezone === '') return [];
  if (isTimeZone(org.timezone)) return [];
  const guess = nearest(org.timezone, Intl.supportedValuesOf('timeZone'));
  return [
    {
      at: ['org', 'timezone'],
      expected: 'an IANA time zone like America/Chicago',
      found: describeValue(org.timezone),
      hint: guess ? `did you mean "${guess}"?` : 'see the "TZ identifier" column of the IANA time zone list',
    },
  ];
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function checkGroups(groups: unknown, metrics: Record<string, unknown>): PendingProblem[] {
  if (!Array.isArray(groups)) return [];
  const problems: PendingProblem[] = [];
  const metricIds = Object.keys(metrics);
  const grouped = new Set<string>();
  const groupIds = new Map<string, number>();

  groups.forEach((group, groupIndex) => {
    if (!isRecord(group)) return;
    if (typeof group.id === 'string') {
      const earlier = groupIds.get(group.id);
      if (earlier !== undefined) {
        problems.push({
          at: ['groups', groupIndex, 'id'],
          expected: 'a group id used once',
          found: `"${group.id}" (also groups[${earlier}])`,
          hint: 'give the group another id, or merge the two groups',
        });
      } else {
        groupIds.set(group.id, groupIndex);
      }
    }
    if (!Array.isArray(group.metrics)) return;
    const seenInGroup = new Set<string>();
    group.metrics.forEach((id, index) => {
      if (typeof id !== 'string') return;
      const at = ['groups', groupIndex, 'metrics', index];
      const groupName = typeof group.id === 'string' ? `group "${group.id}"` : 'this group';
      if (!(id in metrics)) {
        const guess = didYouMean(id, metricIds);
        problems.push({
          at,
          expected: 'the id of a metric defined under metrics:',
          found: describeValue(id),
          message: `unknown metric "${id}"${guess ? ` — ${guess}` : ''}`,
          hint: guess ? undefined : `define metrics.${id}, or remove it from ${groupName}`,
        });
      } else if (seenInGroup.has(id)) {
        problems.push({
          at,
          expected: 'each metric once per group',
          found: `"${id}" again`,
          message: `metric "${id}" is listed twice in ${groupName}`,
          hint: 'remove one of the two entries',
        });
      }
      seenInGroup.add(id);
      grouped.add(id);
    });
  });

  for (const id of metricIds) {
    // An id the schema rejects is reported there; "in no group" would only add noise.
    if (grouped.has(id) || !METRIC_ID.test(id)) continue;
    problems.push({
      at: ['metrics', id],
      atKey: true,
      expected: 'listed in at least one group',
      found: 'in no group',
      message: `metric "${id}" is in no group, so the scorecard would silently hide it`,
      hint: `add ${id} to the metrics: list of a group under groups:`,
    });
  }
  return problems;
}

/**
 * A name or alias must point at one metric: `/metric spend` cannot answer both ad spend and expenses. Compared as
 * the search compares them (case, spaces and punctuation aside); each clash names both metrics.
 */
function checkSharedNames(metrics: Record<string, unknown>): PendingProblem[] {
  const key = (text: string) =>
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^\p{L}\p{N}]/gu, '');
  const owners = new Map<string, { id: string; what: string }>();
  const problems: PendingProblem[] = [];
  for (const [id, metric] of Object.entries(metrics)) {
    if (!isRecord(metric)) continue;
    const aliases = Array.isArray(metric.aliases) ? metric.aliases : [];
    const names: { text: unknown; at: PathSegment[]; what: string }[] = [
      { text: id, at: ['metrics', id], what: 'id' },
      { text: metric.name, at: ['metrics', id, 'name'], what: 'name' },
      ...aliases.map((alias, i) => ({ text: alias, at: ['metrics', id, 'aliases', i] as PathSegment[], what: 'alias' })),
    ];
    const own = new Set<string>();
    for (const { text, at, what } of names) {
      if (typeof text !== 'string' || key(text) === '') continue;
      const k = key(text);
      const other = owners.get(k);
      if (other && other.id !== id) {
        problems.push({
          at,
          expected: 'a name or alias no other metric uses',
          found: `${what} "${text}", also the ${other.what} of metrics.${other.id}`,
          message: `${what} "${text}" of metrics.${id} is also the ${other.what} of metrics.${other.id}`,
          hint: `keep it on one of metrics.${other.id} and metrics.${id}; /metric ${text} has to mean one metric`,
        });
      } else if (!own.has(k)) owners.set(k, { id, what });
      own.add(k);
    }
  }
  return problems;
}

function checkMetrics(metrics: Record<string, unknown>): PendingProblem[] {
  const problems: PendingProblem[] = [...checkSharedNames(metrics)];
  for (const [id, metric] of Object.entries(metrics)) {
    if (!isRecord(metric)) continue;
    const at = ['metrics', id];
    problems.push(...checkGoal(metric.goal, [...at, 'goal']));
    problems.push(...checkGoalChanges(metric, at));
    if (typeof metric.owner === 'string' && metric.owner !== '')
      problems.push(...checkPerson(metric.owner, [...at, 'owner'], { group: true }));

    const entry = metric.entry;
    if (entry !== undefined && metric.source !== 'manual' && metric.manual !== true) {
      problems.push({
        at: [...at, 'entry'],
        atKey: true,
        expected: 'entry only on metrics entered by hand',
        found: `source "${String(metric.source)}" without manual: true`,
        message: 'entry (manual entry bounds) only applies to metrics entered by hand',
        hint: 'set manual: true to also accept hand-entered numbers, or remove entry',
      });
    }
    if (isRecord(entry) && typeof entry.min === 'number' && typeof entry.max === 'number' && entry.min > entry.max) {
      problems.push({
        at: [...at, 'entry', 'min'],
        expected: 'min <= max',
        found: `min ${entry.min} > max ${entry.max}`,
        hint: `swap them: min: ${entry.max}, max: ${entry.min}`,
      });
    }
  }
  return problems;
}

function checkSchedule(schedule: unknown): PendingProblem[] {
  if (!isRecord(schedule)) return [];
  const crons: [PathSegment[], unknown][] = [];
  for (const key of ['refresh', 'weekly', 'cash', 'support']) crons.push([['schedule', key], schedule[key]]);
  if (Array.isArray(schedule.nudges))
    for (const [index, cron] of schedule.nudges.entries()) crons.push([['schedule', 'nudges', index], cron]);

  const problems: PendingProblem[] = [];
  for (const [at, cron] of crons) {
    if (typeof cron !== 'string' || isValidCron(cron)) continue;
    const reasons = explainCron(cron).errors.map((error) =>
      error.field === 'expression' ? error.message : `"${error.value}" is not a valid ${error.field}`,
    );
    problems.push({
      at,
      expected: 'a cron expression "minute hour day-of-month month day-of-week", e.g. "0 8 * * 1" (Mondays 08:00)',
      found: describeValue(cron),
      hint: reasons.length > 0 ? reasons.join('; ') : undefined,
    });
  }
  return problems;
}

function checkDigests(digests: unknown, metrics: Record<string, unknown>): PendingProblem[] {
  if (!isRecord(digests)) return [];
  const problems: PendingProblem[] = [];
  for (const digest of ['cash', 'support']) {
    const ids = digests[digest];
    if (!Array.isArray(ids)) continue;
    const seen = new Set<string>();
    ids.forEach((id, index) => {
      if (typeof id !== 'string') return;
      const at = ['digests', digest, index];
      const metric = metrics[id];
      if (metric === undefined) {
        const guess = didYouMean(id, Object.keys(metrics));
        problems.push({
          at,
          expected: 'the id of a metric defined under metrics:',
          found: describeValue(id),
          message: `unknown metric "${id}"${guess ? ` — ${guess}` : ''}`,
          hint: guess ? undefined : `define metrics.${id}, or remove it from the ${digest} digest`,
        });
      } else if (seen.has(id)) {
        problems.push({ at, expected: 'each metric once per digest', found: `"${id}" again`, hint: 'remove one of the two entries' });
      } else if (isRecord(metric) && Array.isArray(metric.cadence) && !metric.cadence.includes('daily')) {
        problems.push({
          at,
          expected: 'a metric whose cadence includes daily',
          found: `"${id}" with cadence [${metric.cadence.join(', ')}]`,
          hint: `add daily to metrics.${id}.cadence, e.g. cadence: [daily, weekly]`,
        });
      }
      seen.add(id);
    });
  }
  return problems;
}

function checkSupport(support: unknown): PendingProblem[] {
  if (!isRecord(support) || !isRecord(support.business_hours)) return [];
  const hours = support.business_hours;
  const problems: PendingProblem[] = [];
  const week = isRecord(hours.week) ? hours.week : {};
  for (const [day, span] of Object.entries(week)) {
    if (!Array.isArray(span) || span.length !== 2 || !span.every((time) => typeof time === 'string')) continue;
    const [open, close] = span as [string, string];
    const at = ['support', 'business_hours', 'week', day];
    const badTime = [open, close].find((time) => minutesOf(time) === undefined);
    if (badTime !== undefined) {
      problems.push({ at, expected: 'opening and closing times like ["09:00", "17:00"]', found: describeValue(badTime) });
    } else if ((minutesOf(open) ?? 0) >= (minutesOf(close) ?? 0)) {
      problems.push({
        at,
        expected: 'an opening time before the closing time',
        found: `["${open}", "${close}"]`,
        hint: 'leave the day out when closed',
      });
    }
  }
  if (Array.isArray(hours.holidays)) {
    hours.holidays.forEach((day, index) => {
      const wrong = typeof day === 'string' ? realDateProblem(day) : undefined;
      if (wrong) problems.push({ at: ['support', 'business_hours', 'holidays', index], expected: wrong, found: describeValue(day) });
    });
  }
  return problems;
}

function minutesOf(time: string): number | undefined {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(time);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}
