import { errorMessage } from '../../errors.js';
import type { BlockMessage } from '../../slack/metric.js';
import type { BotDeps } from '../deps.js';
import type { AnswerRequest } from './types.js';
import { answerMetricText } from './metric-reply.js';

/** Slack answers a response_url in well under a second; this only bounds a stuck connection. */
const RESPONSE_TIMEOUT_MS = 30_000;

/** Posts an ephemeral answer to a response_url (what Bolt's respond() does), failing on a non-2xx reply. */
export async function postToResponseUrl(responseUrl: string, message: BlockMessage): Promise<void> {
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks }),
    signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`response_url answered HTTP ${response.status}`);
}

/**
 * The whole of a `/metric` after its ack: read the store, render, post to the response_url. Only a failure to
 * build the answer is thrown (the caller tells the user); a failed delivery is logged, because the answer may
 * well have arrived and a "sorry" after it would be wrong.
 */
export async function answerAndRespond(deps: BotDeps, request: AnswerRequest): Promise<void> {
  const message = await answerMetricText(deps, request.text, { userId: request.userId, channelId: request.channelId });
  try {
    await postToResponseUrl(request.responseUrl, message);
  } catch (error) {
    deps.runtime.logger.warn({ err: errorMessage(error) }, 'a /metric answer could not be delivered to its response_url');
  }
}
