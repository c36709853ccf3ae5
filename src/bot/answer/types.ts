import type { HomeView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { BlockMessage } from '../../slack/metric.js';
import type { HomeRequest } from './home-render.js';
import type { ScorecardRequest } from './scorecard-render.js';

/** The shapes the answer pipeline (`/metric` answers, `/scorecard` renders) shares with the listeners and its worker threads. */

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

/** Renders whole scorecards for `/scorecard`: its own worker thread in production, apart from the answerer. */
export interface ScorecardRenderer {
  readonly where: 'worker' | 'inline';
  /** The messages still to send: all of them, or with `request.responseUrl` only those it could not post there. */
  render(request: ScorecardRequest): Promise<BlockMessage[]>;
  close(): Promise<void>;
}

/** Draws Home tabs (the store reads and the view): a third worker thread in production, with its own queue. */
export interface HomeRenderer {
  readonly where: 'worker' | 'inline';
  render(request: HomeRequest): Promise<HomeView>;
  /**
   * A DM to one person (the `/log` confirmation): conversations.open and chat.postMessage, made from the Home
   * thread with its own Web API client when there is one, else with `client` here.
   */
  sendDirectMessage(client: WebClient, userId: string, message: BlockMessage): Promise<void>;
  close(): Promise<void>;
}

/** A `/metric` answer (posted from the thread), a whole-scorecard render (its messages handed back) or a Home view. */
export type AnswerJob =
  | { kind: 'metric'; request: AnswerRequest }
  | { kind: 'scorecard'; request: ScorecardRequest }
  | { kind: 'home'; request: HomeRequest }
  | { kind: 'dm'; request: { userId: string; nowIso: string; email?: string; message: BlockMessage } };
export type AnswerWorkerMessage = { id: number; job: AnswerJob };
/** What a job hands back to the main thread: nothing (an answer already posted), messages to send, or a view. */
export interface JobResult {
  messages?: BlockMessage[];
  view?: HomeView;
}
export type AnswerWorkerReply = ({ id: number; ok: true } & JobResult) | { id: number; ok: false; error: string } | { ready: true };
