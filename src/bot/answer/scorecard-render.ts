import { errorMessage } from '../../errors.js';
import { weeklyScorecard } from '../../report/queries.js';
import { renderWeeklyMessages } from '../../slack/weekly.js';
import { renderNotice, type BlockMessage } from '../../slack/metric.js';
import { metricById, metricsOf } from '../../metrics/catalog.js';
import { canSeeMetric } from '../access.js';
import { evalContextOf, whoIs, type BotDeps } from '../deps.js';
import { chooseWeek } from '../../report/period.js';
import { visibleScorecard } from '../../report/visibility.js';
import { ownerMentionsFor } from '../owner-mentions.js';
import { postToResponseUrl } from './job.js';
import type { RenderCoalescer } from './coalesce.js';

/** One `/scorecard` to render: what was asked, by whom, where, at the listener's "now". */
export interface ScorecardRequest {
  text: string;
  userId: string;
  channelId: string;
  nowIso: string;
  email?: string;
  /** Adds *Open in browser* (the web pages are set up). */
  web?: boolean;
  /**
   * The command's response_url: the renderer then posts the messages there itself (up to the five posts a
   * response_url takes) and hands back only those still to send, so no scorecard's blocks cross the ack thread.
   */
  responseUrl?: string;
  /** When the command arrived (`Date.now()`): a render begun since then may be shared with it (see coalesce.ts). */
  askedAt?: number;
}

/** A response_url takes five posts; a scorecard longer than that sends the rest as plain ephemerals. */
const RESPONSE_URL_USES = 5;

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

/**
 * `/scorecard` after its ack: renders, posts what it can to the response_url in order, and returns what is left
 * (beyond five posts, or from the first post Slack refused), for the caller to send as ephemerals. Without a
 * response_url, everything is returned.
 */
export async function renderAndDeliverScorecard(
  deps: BotDeps,
  request: ScorecardRequest,
  renders?: RenderCoalescer<BlockMessage[]>,
): Promise<BlockMessage[]> {
  const render = () => renderScorecardFor(deps, request);
  const messages =
    renders && request.askedAt !== undefined ? await renders.run(renderKey(deps, request), request.askedAt, render) : await render();
  if (!request.responseUrl) return messages;
  let sent = 0;
  for (const message of messages.slice(0, RESPONSE_URL_USES)) {
    try {
      await postToResponseUrl(request.responseUrl, message);
    } catch (error) {
      // Refused (used up, expired) or unreachable: this one and the rest go out as ephemerals instead.
      deps.runtime.logger.debug({ err: errorMessage(error) }, 'the /scorecard response_url refused a post; sending ephemerals');
      break;
    }
    sent++;
  }
  return messages.slice(sent);
}

/**
 * Two requests with the same key get the same messages: the same period asked in the same minute (the messages'
 * ages and times are to the minute), the same *Open in browser*, and the same metrics visible to the asker.
 */
function renderKey(deps: BotDeps, request: ScorecardRequest): string {
  const { config } = deps.runtime;
  const who = whoIs(deps, request.userId);
  const visible = metricsOf(config)
    .map((metric) => (canSeeMetric(config, metric, who, request.channelId) ? '1' : '0'))
    .join('');
  const minute = Math.floor(Date.parse(request.nowIso) / 60_000);
  return `${request.text.trim().toLowerCase()}|${minute}|${request.web === true}|${visible}`;
}
