import { timingSafeEqual } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { Html } from './html.js';
import type { Viewer } from './viewer.js';

/** What every page handler works with: the Hono context, with the signed-in viewer and session set by the app. */
export type WebEnv = { Bindings: HttpBindings; Variables: { viewer: Viewer; sessionId: string } };
export type WebContext = Context<WebEnv>;

export async function render(c: WebContext, page: Html, status: 200 | 400 | 403 | 404 | 410 | 422 | 429 = 200): Promise<Response> {
  return c.html(await page, status);
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A form post's text field ('' when absent or a file). */
export function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}
