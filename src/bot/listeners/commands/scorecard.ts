import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ScorecardRequest } from '../../answer/scorecard-render.js';
import type { BotDeps } from '../../deps.js';
import { type ReplyTarget, replyPrivately, tellFailure } from '../../reply.js';
import { webEnabled, webLinkMessage } from '../../web.js';

/**
 * `/scorecard [period]`: the weekly scorecard, only to the caller (`/scorecard web`: a sign-in link to the pages).
 * Rendered and posted to the response_url by `deps.scorecards` (its own thread in production), so a whole-scorecard
 * render, and its blocks' JSON, never hold up acks or `/metric` answers. An ephemeral has no thread, so the parent
 * and its continuations go out as consecutive ephemerals, in order; any the response_url did not take follow here.
 * Like `/metric`, the listener ends at the ack and the render is tracked apart (`deps.track`; see metric.ts).
 */
export function scorecardCommand(deps: BotDeps) {
  return async ({ ack, command, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const askedAt = Date.now();
    await ack();
    const target: ReplyTarget = { respond, client, userId: command.user_id, channelId: command.channel_id };
    if (command.text.trim().toLowerCase() === 'web') {
      // One short reply, sent here.
      try {
        await replyPrivately(target, webLinkMessage(deps, command.user_id));
      } catch (error) {
        await tellFailure(target, deps.runtime.logger, 'building the scorecard', error);
      }
      return;
    }
    const email = deps.learntEmails.get(command.user_id);
    const request: ScorecardRequest = {
      text: command.text ?? '',
      userId: command.user_id,
      channelId: command.channel_id,
      nowIso: deps.now().toISOString(),
      web: webEnabled(deps),
      responseUrl: command.response_url,
      askedAt,
      ...(email ? { email } : {}),
    };
    void deps.track(renderAndSend(deps, request, target));
  };
}

/** The render (which posts what the response_url takes), then what is left as ephemerals; or why it failed. */
async function renderAndSend(deps: BotDeps, request: ScorecardRequest, target: ReplyTarget): Promise<void> {
  try {
    for (const message of await deps.scorecards.render(request)) await replyPrivately({ ...target, respond: undefined }, message);
  } catch (error) {
    await tellFailure(target, deps.runtime.logger, 'building the scorecard', error);
  }
}
