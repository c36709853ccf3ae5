import { errorMessage } from '../../errors.js';
import type { BlockMessage } from '../../slack/metric.js';
import { sendDroppingRefusedCharts } from '../../slack/chart.js';
import type { BotDeps } from '../deps.js';
import type { AnswerRequest } from './types.js';
import { answerMetricText } from './metric-reply.js';

/** Slack answers a response_url in well under a second; this only bounds a stuck connection. */
const RESPONSE_TIMEOUT_MS = 30_000;

/**
 * Posts an ephemeral answer to a response_url (what Bolt's respond() does), failing on a non-2xx reply or an
 * `ok: false` body. A refused chart is dropped and the answer sent again (see `sendDroppingRefusedCharts`).
 */
export async function postToResponseUrl(
  responseUrl: string,
  message: BlockMessage,
  onChartRefused: (error: unknown) => void = () => {},
): Promise<void> {
  await sendDroppingRefusedCharts(message, (m) => postOnce(responseUrl, m), onChartRefused);
}

async function postOnce(responseUrl: string, message: BlockMessage): Promise<void> {
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks }),
    signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS),
  });
  const body = await response.text();
  let error: unknown;
  try {
    error =
      (JSON.parse(body) as { ok?: unknown; error?: unknown }).ok === false ? (JSON.parse(body) as { error?: unknown }).error : undefined;
  } catch {
    error = undefined;
  }
  if (!response.ok || error !== undefined)
    throw Object.assign(new Error(`response_url answered HTTP ${response.status}${typeof error === 'string' ? ` (${error})` : ''}`), {
      data: { error },
    });
}

/**
 * The whole of a `/metric` after its ack: read the store, render, post to the response_url. Only a failure to
 * build the answer is thrown (the caller tells the user); a failed delivery is logged, because the answer may
 * well have arrived and a "sorry" after it would be wrong.
 */
export async function answerAndRespond(deps: BotDeps, request: AnswerRequest): Promise<void> {
  const message = await answerMetricText(deps, request.text, { userId: request.userId, channelId: request.channelId });
  try {
    await postToResponseUrl(request.responseUrl, message, (error) =>
      deps.runtime.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'Slack refused the /metric chart (invalid_blocks); answered without it, its figures are in the text',
      ),
    );
  } catch (error) {
    deps.runtime.logger.warn({ err: errorMessage(error) }, 'a /metric answer could not be delivered to its response_url');
  }
}
