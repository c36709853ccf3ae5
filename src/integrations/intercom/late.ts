import type { LocalDay } from '../../metrics/types.js';
import { dayStart, localDayOf } from '../../metrics/periods.js';
import { daysOutside, readCursor, reasonTexts, scanStart, writeCursor } from '../late-changes.js';
import type { LateChanges, SourceContext } from '../source.js';
import type { IntercomApi } from './client.js';
import { changedSinceQuery } from './map.js';

/**
 * Intercom's modification cursor: conversation search on `updated_at` (the last plain refresh less the overlap),
 * narrowed to conversations created before the window. Every figure Intercom serves (conversations, first
 * response, SLA misses) counts a conversation on its creation day, which never changes: a reassignment to an
 * excluded teammate, a first reply or an SLA miss marked late all move that one day, re-collected whole. No
 * per-record index is needed.
 */

const CURSOR_KEY = 'intercom.cursor.conversations';

export interface LateScope {
  api: IntercomApi;
  timezone: string;
  window: { from: LocalDay; to: LocalDay };
}

export async function intercomLateChanges(ctx: SourceContext, scope: LateScope): Promise<LateChanges> {
  const cursor = await readCursor(ctx.state, CURSOR_KEY);
  const days = new Set<LocalDay>();
  let changed = 0;
  if (cursor) {
    const windowStart = new Date(dayStart(scope.window.from, scope.timezone));
    for await (const page of scope.api.searchConversations(changedSinceQuery(scanStart(cursor), windowStart))) {
      for (const conversation of page) {
        const created = localDayOf(new Date(conversation.created_at * 1000), scope.timezone);
        if (daysOutside([created], scope.window.from, scope.window.to).length === 0) continue;
        days.add(created);
        changed += 1;
      }
    }
  }
  return {
    days: [...days].sort(),
    reasons: reasonTexts(new Map([['changed after their day', changed]]), ['conversation', 'conversations']),
    commit: () => writeCursor(ctx.state, CURSOR_KEY, ctx.now),
  };
}
