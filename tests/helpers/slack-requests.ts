// Correctly signed requests for Bolt's HTTPReceiver, shaped from Slack's own example payloads
// (shared/specs/slack/examples, read from beside the repo, never copied in).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';

const EXAMPLES_DIR = new URL('../../../shared/specs/slack/examples/', import.meta.url);

/** Bolt compares the content type with strict equality: no `; charset=…` suffix. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

export type ExampleName =
  | 'block_actions'
  | 'view_submission'
  | 'view_submission_with_response_urls'
  | 'view_closed'
  | 'shortcut_global'
  | 'message_action'
  | 'slash_command'
  | 'url_verification';

// Slack payloads are loosely typed by nature; callers index into them freely.
// biome-ignore lint/suspicious/noExplicitAny: example payloads are arbitrary JSON the tests reach into by path; typing each would copy Slack's schemas.
export type Payload = Record<string, any>;

/** A fresh parsed copy of one example payload (safe to mutate). */
export function loadExample(name: ExampleName): Payload {
  return JSON.parse(readFileSync(new URL(`${name}.json`, EXAMPLES_DIR), 'utf8')) as Payload;
}

export interface SignedHeaders {
  'Content-Type': string;
  'X-Slack-Request-Timestamp': string;
  'X-Slack-Signature': string;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** v0 signature: HMAC-SHA256(secret, `v0:${timestamp}:${body}`) as hex. */
export function signRequest(
  body: string,
  signingSecret: string,
  timestamp: number = nowSeconds(),
  contentType: string = FORM_CONTENT_TYPE,
): SignedHeaders {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'Content-Type': contentType,
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': `v0=${digest}`,
  };
}

export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  enterprise_id: string;
  enterprise_name: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  response_url: string;
  trigger_id: string;
  api_app_id: string;
  is_enterprise_install: string;
}

/** The form body Slack posts for a slash command, from the example with fields overridden. */
export function slashCommandBody(fields: Partial<SlashCommandFields> = {}): string {
  const raw = readFileSync(new URL('slash_command.form-urlencoded.txt', EXAMPLES_DIR), 'utf8').trim();
  const form = new URLSearchParams(raw);
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) form.set(key, value);
  }
  return form.toString();
}

/** `payload=<url-encoded JSON>`, as Slack posts interactivity (block_actions, view_submission, shortcut). */
export function interactivityBody(payload: object): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface ViewSubmissionOptions {
  callbackId: string;
  /** view.state.values: { [block_id]: { [action_id]: { type, value | selected_option | selected_date … } } } */
  values: Record<string, Record<string, Payload>>;
  privateMetadata?: string;
  userId?: string;
  viewId?: string;
  blocks?: unknown[];
}

export function viewSubmissionPayload(opts: ViewSubmissionOptions): Payload {
  const payload = loadExample('view_submission');
  if (opts.userId) payload.user.id = opts.userId;
  Object.assign(payload.view, {
    callback_id: opts.callbackId,
    state: { values: opts.values },
    private_metadata: opts.privateMetadata ?? '',
    ...(opts.viewId ? { id: opts.viewId, root_view_id: opts.viewId } : {}),
    ...(opts.blocks ? { blocks: opts.blocks } : {}),
  });
  return payload;
}

export interface BlockAction {
  action_id: string;
  block_id?: string;
  type?: string;
  value?: string;
  [key: string]: unknown;
}

export type ActionSource =
  | { type: 'message'; channelId?: string; messageTs?: string; responseUrl?: string; isEphemeral?: boolean }
  | { type: 'view'; view: Payload };

/** A block_actions payload; from a message by default, or from a modal / App Home view. */
export function blockActionsPayload(actions: BlockAction[], source: ActionSource = { type: 'message' }, userId?: string): Payload {
  const payload = loadExample('block_actions');
  if (userId) payload.user.id = userId;
  payload.actions = actions.map((action) => ({
    block_id: 'actions',
    type: 'button',
    action_ts: String(nowSeconds()),
    ...action,
  }));
  if (source.type === 'view') {
    payload.container = { type: 'view', view_id: source.view.id };
    payload.view = source.view;
    delete payload.channel;
    delete payload.response_url;
    return payload;
  }
  const channelId = source.channelId ?? payload.container.channel_id;
  payload.container = {
    type: 'message',
    channel_id: channelId,
    message_ts: source.messageTs ?? payload.container.message_ts,
    is_ephemeral: source.isEphemeral ?? false,
  };
  payload.channel = { ...payload.channel, id: channelId };
  if (source.responseUrl) payload.response_url = source.responseUrl;
  return payload;
}

export function globalShortcutPayload(callbackId: string, opts: { userId?: string; triggerId?: string } = {}): Payload {
  const payload = loadExample('shortcut_global');
  payload.callback_id = callbackId;
  if (opts.userId) payload.user.id = opts.userId;
  if (opts.triggerId) payload.trigger_id = opts.triggerId;
  return payload;
}

export function appHomeOpenedEvent(user: string, tab: 'home' | 'messages' = 'home'): Payload {
  return { type: 'app_home_opened', user, channel: 'D00000001', tab, event_ts: `${nowSeconds()}.000100` };
}

/** An Events API `event_callback` envelope as JSON (send with JSON_CONTENT_TYPE). */
export function eventBody(event: Payload, envelope: Payload = {}): string {
  const eventTime = nowSeconds();
  return JSON.stringify({
    token: 'verification_token',
    team_id: 'T111',
    api_app_id: 'A111',
    event,
    type: 'event_callback',
    event_id: `Ev${eventTime}`,
    event_time: eventTime,
    authorizations: [{ enterprise_id: null, team_id: 'T111', user_id: 'U0SCOREBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    ...envelope,
  });
}

export interface PostSignedOptions {
  secret: string;
  contentType?: string;
  timestamp?: number;
  /** Send a signature made with the wrong secret. */
  badSignature?: boolean;
}

export interface SignedResponse {
  status: number;
  text: string;
  json?: unknown;
}

/** POSTs a signed body (use a 127.0.0.1 URL); `json` is set when the reply parses as JSON. */
export async function postSigned(url: string, body: string, opts: PostSignedOptions): Promise<SignedResponse> {
  const contentType = opts.contentType ?? (body.trimStart().startsWith('{') ? JSON_CONTENT_TYPE : FORM_CONTENT_TYPE);
  const secret = opts.badSignature ? `${opts.secret}-wrong` : opts.secret;
  const headers = signRequest(body, secret, opts.timestamp ?? nowSeconds(), contentType);
  const { status, text } = await postOnFreshConnection(url, headers, body);
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, text, ...(json === undefined ? {} : { json }) };
}

/**
 * One request on its own connection. fetch would reuse an idle keep-alive socket, and a test that blocked its event
 * loop (a spawnSync of the CLI) for longer than the server's keep-alive timeout never saw the server close it: the
 * next request then died with "other side closed" although the server was fine.
 */
function postOnFreshConnection(url: string, headers: SignedHeaders, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
