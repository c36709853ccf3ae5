import type { HomeView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { BlockMessage } from '../../slack/metric.js';
import type { HomeRequest } from './home-render.js';
import type { ScorecardRequest } from './scorecard-render.js';
import type { EntryModalMode, EntryState } from '../views/entry-modal.js';
import type { SubmitResult } from '../entries.js';

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

/** A submitted `/log` modal to check and store (the thread's connection writes it). */
export interface EntryRequest {
  userId: string;
  email?: string;
  viewId: string;
  mode: EntryModalMode;
  state: EntryState;
  /** The submitted view's input block ids: errors go beside fields the view has. */
  inputBlockIds: string[];
  nowIso: string;
}

/**
 * A submission's outcome as it crosses threads: the saved entry names its metric by id (the main thread has the
 * same catalog), and the local days it touched travel back so the main thread can update posted scorecards. A
 * failure says whether the database failed, so only then is the database blamed.
 */
export type EntryOutcome =
  | Exclude<SubmitResult, { ok: true }>
  | {
      ok: true;
      entry: Omit<Extract<SubmitResult, { ok: true }>['entry'], 'metric'> & { metricId: string };
      created: boolean;
      changedDays: string[];
    }
  | { ok: 'failed'; error: string; database: boolean };

/**
 * Stores `/log` submissions before their ack: a worker thread of its own in production (nice 0, its own queue, its
 * own connection), so the checks and the write never hold up the acks of other requests.
 */
export interface EntryWriter {
  readonly where: 'worker' | 'inline';
  submit(request: EntryRequest): Promise<EntryOutcome>;
  close(): Promise<void>;
}

/** A `/metric` answer (posted from the thread), a whole-scorecard render (its messages handed back) or a Home view. */
export type AnswerJob =
  | { kind: 'metric'; request: AnswerRequest }
  | { kind: 'entry'; request: EntryRequest }
  | { kind: 'scorecard'; request: ScorecardRequest }
  | { kind: 'home'; request: HomeRequest }
  | { kind: 'dm'; request: { userId: string; nowIso: string; email?: string; message: BlockMessage } };
export type AnswerWorkerMessage = { id: number; job: AnswerJob };
/** What a job hands back to the main thread: nothing (an answer already posted), messages to send, or a view. */
export interface JobResult {
  messages?: BlockMessage[];
  view?: HomeView;
  entry?: EntryOutcome;
}
export type AnswerWorkerReply = ({ id: number; ok: true } & JobResult) | { id: number; ok: false; error: string } | { ready: true };
