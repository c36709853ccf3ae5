/** The shapes the `/metric` answer pipeline shares with the listeners (`deps.ts`) and its worker thread. */

/** One `/metric` to answer: what was asked, by whom, where, and where the answer goes. */
export interface AnswerRequest {
  text: string;
  userId: string;
  channelId: string;
  responseUrl: string;
  /** The listener's clock, so the answer is for the same "now" as the ack. */
  nowIso: string;
  /** The asker's email if learnt from users.info (owners and sensitive access may be emails). */
  email?: string;
}

/**
 * Answers `/metric` after the ack: on a worker thread when the bot runs from compiled JavaScript with a database
 * file (production), else on the listener's own thread (tests run TypeScript; an in-memory database can't be
 * shared). Same function either way: `answerAndRespond`.
 */
export interface MetricAnswerer {
  readonly where: 'worker' | 'inline';
  answer(request: AnswerRequest): Promise<void>;
  close(): Promise<void>;
}

/** What the answer thread is started with. */
export interface AnswerWorkerData {
  configPath: string;
  databaseUrl: string;
  env: Record<string, string | undefined>;
  nice: number;
}

export type AnswerWorkerMessage = { id: number; request: AnswerRequest };
export type AnswerWorkerReply = { id: number; ok: true } | { id: number; ok: false; error: string } | { ready: true };
