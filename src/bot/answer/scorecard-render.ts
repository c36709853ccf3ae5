import { weeklyScorecard } from '../../report/queries.js';
import { renderWeeklyMessages } from '../../slack/weekly.js';
import { renderNotice, type BlockMessage } from '../../slack/metric.js';
import { metricById } from '../../metrics/catalog.js';
import { canSeeMetric } from '../access.js';
import { evalContextOf, whoIs, type BotDeps } from '../deps.js';
import { chooseWeek } from '../../report/period.js';
import { visibleScorecard } from '../../report/visibility.js';
import { ownerMentionsFor } from '../owner-mentions.js';

/** One `/scorecard` to render: what was asked, by whom, where, at the listener's "now". */
export interface ScorecardRequest {
  text: string;
  userId: string;
  channelId: string;
  nowIso: string;
  email?: string;
  /** Adds *Open in browser* (the web pages are set up). */
  web?: boolean;
}

/**
 * The caller's copy of a whole weekly scorecard, as the messages to send in order (or one notice for a period that
 * does not parse). The heavy part of `/scorecard`: it runs on the scorecard thread, never where acks or `/metric`
 * answers wait.
 */
export async function renderScorecardFor(deps: BotDeps, request: ScorecardRequest): Promise<BlockMessage[]> {
  const ctx = evalContextOf(deps);
  const choice = chooseWeek(request.text, ctx);
  if (!choice.ok) return [renderNotice(`${choice.message} With nothing, /scorecard shows the last completed week.`)];
  const who = whoIs(deps, request.userId);
  const full = await weeklyScorecard(deps.runtime.store, ctx, choice.week);
  const { view, hidden } = visibleScorecard(full, (id) => {
    const metric = metricById(deps.runtime.config, id);
    return !metric || canSeeMetric(deps.runtime.config, metric, who, request.channelId);
  });
  const messages: BlockMessage[] = renderWeeklyMessages(view, {
    now: ctx.now,
    web: request.web === true,
    mentions: await ownerMentionsFor(
      deps,
      view.groups.flatMap((g) => g.rows.map((r) => r.owner)),
    ),
  });
  if (hidden > 0) messages.push(renderNotice(`${hidden} restricted metric${hidden === 1 ? ' is' : 's are'} left out of your copy.`));
  return messages;
}
