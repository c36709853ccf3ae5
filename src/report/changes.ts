import type { StatusKind } from '../metrics/types.js';
import type { DailyDigest } from './daily.js';
import type { WeeklyScorecard } from './weekly.js';
import { STATUS_EMOJI } from './text.js';

/**
 * What a posted digest said, per metric, so a re-render can tell whether anything a reader would notice changed and
 * say what ("Dials 118 → 126, 🟡 → 🟢"). Only the headline figure and status count: a snapshot's age ticking on is
 * not a change worth a thread reply.
 */

export interface SnapshotEntry {
  /** The headline figure as displayed (this week's value, or the daily figure). */
  text: string;
  status: StatusKind;
  /** The metric's display name when the snapshot was taken, so a change can be described without the config. */
  name?: string;
}

export type DigestSnapshot = Record<string, SnapshotEntry>;

export function snapshotOf(view: WeeklyScorecard | DailyDigest): DigestSnapshot {
  // No prototype: a metric id is config text, and `__proto__` is a valid one.
  const snapshot: DigestSnapshot = Object.create(null) as DigestSnapshot;
  if (view.kind === 'weekly') {
    for (const row of view.groups.flatMap((g) => g.rows)) snapshot[row.id] = { text: row.thisWeek, status: row.status, name: row.name };
  } else {
    for (const item of view.items) snapshot[item.id] = { text: item.text, status: item.status, name: item.name };
  }
  return snapshot;
}

export function namesOf(snapshot: DigestSnapshot): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot).map(([id, entry]) => [id, entry.name ?? id]));
}

export function snapshotsDiffer(before: DigestSnapshot, after: DigestSnapshot): boolean {
  return describeChanges(before, after).length > 0;
}

/** One line per metric whose figure or status changed, in the order of `after`; then metrics no longer shown. */
export function describeChanges(
  before: DigestSnapshot,
  after: DigestSnapshot,
  names: Record<string, string> = { ...namesOf(before), ...namesOf(after) },
): string[] {
  const nameOf = (id: string) => (Object.hasOwn(names, id) ? names[id]! : id);
  const lines: string[] = [];
  for (const [id, now] of Object.entries(after)) {
    const then = Object.hasOwn(before, id) ? before[id] : undefined;
    if (!then) {
      lines.push(`${nameOf(id)} added: ${now.text} ${STATUS_EMOJI[now.status]}`);
      continue;
    }
    if (then.text === now.text && then.status === now.status) continue;
    const figure = then.text === now.text ? now.text : `${then.text} → ${now.text}`;
    const status = then.status === now.status ? '' : `, ${STATUS_EMOJI[then.status]} → ${STATUS_EMOJI[now.status]}`;
    lines.push(`${nameOf(id)} ${figure}${status}`);
  }
  for (const id of Object.keys(before)) {
    if (!Object.hasOwn(after, id)) lines.push(`${nameOf(id)} removed`);
  }
  return lines;
}
