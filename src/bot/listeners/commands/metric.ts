import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AnswerRequest } from '../../answer/types.js';
import type { BotDeps } from '../../deps.js';
import { type ReplyTarget, tellFailure } from '../../reply.js';

/**
 * `/metric <query>`: ack at once (nothing awaited before it), then the answerer reads the store and posts the
 * answer to the response_url — on its own thread in production, so answers never hold up other acks. The listener
 * ends at the ack: the answer is tracked apart (`deps.track`), so Bolt's request, context and listener arguments are
 * garbage long before the answer lands. Held for the answer's time, they survived young-generation collections under
 * load, and the longer collections paused every other request's ack.
 */
export function metricCommand(deps: BotDeps) {
  return async ({ ack, command, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const started = performance.now();
    await ack();
    deps.metrics?.observeAck((performance.now() - started) / 1000);
    const email = deps.learntEmails.get(command.user_id);
    const request: AnswerRequest = {
      text: command.text ?? '',
      userId: command.user_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
      nowIso: deps.now().toISOString(),
      ...(email ? { email } : {}),
    };
    void deps.track(answer(deps, request, { respond, client, userId: command.user_id, channelId: command.channel_id }, started));
  };
}

async function answer(deps: BotDeps, request: AnswerRequest, asker: ReplyTarget, started: number): Promise<void> {
  try {
    await deps.answerer.answer(request);
    deps.metrics?.observeAnswer((performance.now() - started) / 1000);
  } catch (error) {
    await tellFailure(asker, deps.runtime.logger, 'reading that metric', error);
  }
}
