import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listGoalChanges } from '../../src/store/goal-changes.js';
import { manualEntriesForWeek } from '../../src/store/manual-entries.js';
import { signLinkToken } from '../../src/web/link-token.js';
import { CHANNELS, NOW, USERS } from '../bot/harness.js';
import { startWebHarness, WEB_SECRET, type WebHarness } from './harness.js';

// Every page, download and form over real HTTP on the real bot: sessions, CSRF, replayed and tampered links,
// admins-only settings, sensitive metrics, escaping and CSV formula injection.

let h: WebHarness;
let rep: { cookie: string; csrf: string };
let cfo: { cookie: string; csrf: string };
let admin: { cookie: string; csrf: string };
const PAGES = ['/scorecard', '/scorecard/2026-W45', '/metrics/dials', '/metrics/coi_meetings', '/entries/new', '/settings/goals'];
const CSV = '/export.csv?from=2026-11-02&to=2026-11-15&grain=week';
const PDF = '/scorecard/2026-W46.pdf';

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  h = await startWebHarness();
  rep = await h.signIn(USERS.rep);
  cfo = await h.signIn(USERS.cfo);
  admin = await h.signIn(USERS.admin);
});
afterAll(async () => {
  await h.close();
  nock.enableNetConnect();
});

async function pdfText(response: Response): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'scorecard-pdf-'));
  try {
    const file = join(dir, 'week.pdf');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const entriesOf = (metricId: string) => manualEntriesForWeek(h.runtime.store, [metricId], null, '2000-01-01', '2100-01-01');

describe('without a session', () => {
  it('every page answers 302 to the sign-in explanation; the CSV and PDF answer 401', async () => {
    for (const path of PAGES) {
      const response = await h.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get('location'), path).toBe('/signin');
    }
    expect((await h.get(CSV)).status).toBe(401);
    expect((await h.get(PDF)).status).toBe(401);
    const explain = await (await h.get('/signin')).text();
    expect(explain).toContain('/scorecard web');
  });

  it('a made-up or revoked cookie is no session', async () => {
    expect((await h.get('/scorecard', 'scorecard_session=forged')).status).toBe(302);
    const victim = await h.signIn(USERS.dana);
    expect((await h.get('/scorecard', victim.cookie)).status).toBe(200);
    const out = await h.post('/signout', { csrf: victim.csrf }, victim.cookie);
    expect(out.status).toBe(303);
    expect((await h.get('/scorecard', victim.cookie)).status).toBe(302);
  });
});

describe('sign-in links', () => {
  it('sets an HttpOnly, SameSite=Lax, 7-day session cookie (not Secure over http)', async () => {
    const response = await h.post('/signin', { token: h.token(USERS.rep) });
    expect(response.status).toBe(303);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^scorecard_session=[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Max-Age=604800');
    expect(cookie).not.toContain('Secure');
  });

  it('refuses a replayed link: each link signs in once', async () => {
    const token = h.token(USERS.rep);
    expect((await h.post('/signin', { token })).status).toBe(303);
    const again = await h.post('/signin', { token });
    expect(again.status).toBe(410);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('already used');
  });

  it('refuses a tampered token, a token signed with another secret, and an expired one', async () => {
    const token = h.token(USERS.rep);
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { u: string };
    const forged = `${Buffer.from(JSON.stringify({ ...claims, u: USERS.admin })).toString('base64url')}.${signature}`;
    const otherSecret = signLinkToken('another-secret-another-secret-0123', USERS.admin, h.clock.now);
    const expired = signLinkToken(WEB_SECRET, USERS.admin, new Date(h.clock.now.getTime() - 11 * 60_000));
    for (const bad of [forged, otherSecret, expired, `${payload}.`, 'garbage']) {
      const response = await h.post('/signin', { token: bad });
      expect(response.status, bad).toBe(400);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect((await h.get(`/signin?token=${encodeURIComponent(bad)}`)).status).toBe(400);
    }
    expect(await (await h.post('/signin', { token: expired })).text()).toContain('expired');
  });

  it('opening a link only shows a Continue button; a previewer fetching it does not spend it', async () => {
    const token = h.token(USERS.rep);
    const page = await h.get(`/signin?token=${encodeURIComponent(token)}&next=/metrics/dials`);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('Continue as <strong>W111</strong>');
    expect(body).toContain('name="next" value="/metrics/dials"');
    const response = await h.post('/signin', { token, next: '/metrics/dials' });
    expect(response.headers.get('location')).toBe('/metrics/dials');
    // Never another origin.
    const offsite = await h.post('/signin', { token: h.token(USERS.rep), next: '//evil.example/x' });
    expect(offsite.headers.get('location')).toBe('/scorecard');
  });

  it('/scorecard web answers privately with a personal link that signs that person in', async () => {
    const { replies } = await h.command('/scorecard', 'web', { userId: USERS.cfo });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body.response_type).toBe('ephemeral');
    const url = /(http:\/\/scorecard\.test\/signin\?token=[^\s"]+)/.exec(JSON.stringify(replies[0]!.body))?.[1];
    expect(url).toBeDefined();
    const token = new URL(url!).searchParams.get('token')!;
    const page = await (await h.get(`/signin?token=${encodeURIComponent(token)}`)).text();
    expect(page).toContain(`Continue as <strong>${USERS.cfo}</strong>`);
  });
});

describe('CSRF', () => {
  it('refuses a form post without the session token, or from another origin; nothing is stored', async () => {
    const before = (await entriesOf('coi_meetings')).length;
    const form = { metric: 'coi_meetings', date: '2026-11-17', value: '2', note: '', key: 'csrf-1' };
    expect((await h.post('/entries/new', form, rep.cookie)).status).toBe(403);
    expect((await h.post('/entries/new', { ...form, csrf: 'wrong' }, rep.cookie)).status).toBe(403);
    expect((await h.post('/entries/new', { ...form, csrf: rep.csrf }, rep.cookie, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await h.post('/entries/new', { ...form, csrf: admin.csrf }, rep.cookie)).status).toBe(403);
    expect((await h.post('/settings/goals', { csrf: 'nope', metric: 'dials' }, admin.cookie)).status).toBe(403);
    expect((await entriesOf('coi_meetings')).length).toBe(before);
  });
});

describe('the entry form', () => {
  it('shows a bad value beside its field, keeps what was typed and stores nothing; a good one is stored once', async () => {
    const before = (await entriesOf('coi_meetings')).length;
    const bad = await h.post(
      '/entries/new',
      { csrf: rep.csrf, metric: 'coi_meetings', date: '2026-11-17', value: '99', note: 'kept note', key: 'k-1' },
      rep.cookie,
    );
    expect(bad.status).toBe(422);
    const page = await bad.text();
    expect(page).toContain('id="value-error"');
    expect(page).toContain('Enter a value between 0 and 20.');
    expect(page).toContain('value="99"');
    expect(page).toContain('kept note');
    expect((await entriesOf('coi_meetings')).length).toBe(before);

    const form = { csrf: rep.csrf, metric: 'coi_meetings', date: '2026-11-17', value: '3', note: 'lunch', key: 'k-2' };
    const good = await h.post('/entries/new', form, rep.cookie);
    expect(good.status).toBe(303);
    expect((await h.post('/entries/new', form, rep.cookie)).status).toBe(303);
    const entries = await entriesOf('coi_meetings');
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)).toMatchObject({ day: '2026-11-17', value: 3, user_id: USERS.rep, entered_by: USERS.rep, note: 'lunch' });
    expect(await (await h.get(good.headers.get('location')!, rep.cookie)).text()).toContain(
      'Logged 3 COI meetings attended for 2026-11-17',
    );
  });

  it('has the /log rules: a non-admin cannot log for someone else, nor a source-fed metric', async () => {
    const response = await h.post(
      '/entries/new',
      { csrf: rep.csrf, metric: 'dials', date: '2026-11-17', value: '3', on_behalf: USERS.dana, key: 'k-3' },
      rep.cookie,
    );
    const page = await response.text();
    expect(page).toContain('it can&#39;t be logged by hand');
    expect(page).toContain('Only scorecard admins can log for someone else.');
  });
});

describe('goal settings', () => {
  it('refuses a non-admin, reading and writing; nothing is stored', async () => {
    expect((await h.get('/settings/goals', rep.cookie)).status).toBe(403);
    const post = await h.post(
      '/settings/goals',
      { csrf: rep.csrf, metric: 'dials', scope: 'from', from: '2026-11-16', op: '>=', value: '1', reason: 'x' },
      rep.cookie,
    );
    expect(post.status).toBe(403);
    expect(await listGoalChanges(h.runtime.store, ['dials'])).toEqual([]);
  });

  it('refuses to rewrite a past week, and asks why', async () => {
    const response = await h.post(
      '/settings/goals',
      { csrf: admin.csrf, metric: 'dials', scope: 'from', from: '2026-11-09', op: '>=', value: '1', reason: '' },
      admin.cookie,
    );
    expect(response.status).toBe(422);
    const page = await response.text();
    expect(page).toContain('Past weeks keep the goal they were judged against');
    expect(page).toContain('Say why the goal changes');
    expect(await listGoalChanges(h.runtime.store, ['dials'])).toEqual([]);
  });
});

describe('sensitive metrics follow slack.sensitive_access', () => {
  it('a user without access finds no cash figure on any page, in the CSV or in the PDF', async () => {
    for (const path of PAGES) {
      const page = await (await h.get(path, rep.cookie)).text();
      expect(page, path).not.toContain('Cash position');
      expect(page, path).not.toContain('/metrics/cash');
    }
    expect((await h.get('/metrics/cash', rep.cookie)).status).toBe(403);
    expect((await h.get('/export.csv?from=2026-11-02&to=2026-11-15&grain=day', rep.cookie)).ok).toBe(true);
    for (const path of [CSV, '/export.csv?from=2026-11-02&to=2026-11-15&grain=day']) {
      const csv = await (await h.get(path, rep.cookie)).text();
      expect(csv).not.toMatch(/^cash,/m);
      expect(csv).not.toContain('Cash position');
    }
    const text = await pdfText(await h.get(PDF, rep.cookie));
    expect(text).toContain('Dials');
    expect(text).not.toContain('Cash position');
    expect(text).toContain('1 restricted metric is left out of your copy');
    const entry = await h.post('/entries/new', { csrf: rep.csrf, metric: 'cash', date: '2026-11-17', value: '1', key: 'k-c' }, rep.cookie);
    expect(await entry.text()).toContain('&quot;cash&quot; is not a metric in the scorecard.');
  });

  it('a user with access sees cash everywhere', async () => {
    expect(await (await h.get('/scorecard', cfo.cookie)).text()).toContain('Cash position');
    expect((await h.get('/metrics/cash', cfo.cookie)).status).toBe(200);
    expect(await (await h.get(CSV, cfo.cookie)).text()).toMatch(/^cash,Cash position,2026-W46,/m);
    expect(await pdfText(await h.get(PDF, cfo.cookie))).toContain('Cash position');
  });
});

describe('escaping', () => {
  const EVIL = '<img src=x onerror=alert(1)>"\'';
  it('renders a hostile metric name, note and entry escaped on every page, and formula-like CSV cells inert', async () => {
    const metric = h.runtime.config.metrics.coi_meetings!;
    const original = metric.name;
    metric.name = `=HYPERLINK("http://evil")${EVIL}`;
    try {
      const saved = await h.post(
        '/entries/new',
        {
          csrf: admin.csrf,
          metric: 'coi_meetings',
          date: '2026-11-16',
          value: '1',
          note: `${EVIL}<script>alert(2)</script>`,
          on_behalf: EVIL,
          key: 'x-1',
        },
        admin.cookie,
      );
      expect(saved.status).toBe(303);
      for (const path of [...PAGES, saved.headers.get('location')!]) {
        const page = await (await h.get(path, admin.cookie)).text();
        expect(page, path).not.toContain('<img src=x');
        expect(page, path).not.toContain('<script>alert');
      }
      const metricPage = await (await h.get('/metrics/coi_meetings', admin.cookie)).text();
      expect(metricPage).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;');
      expect(metricPage).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
      const csv = await (await h.get(CSV, admin.cookie)).text();
      expect(csv).toContain(`coi_meetings,"'=HYPERLINK(""http://evil"")<img src=x onerror=alert(1)>""'",2026-W45,`);
      expect(csv).not.toMatch(/(^|,)=/m);
    } finally {
      metric.name = original;
    }
  });

  it('sends a strict CSP and no-sniff on every page', async () => {
    const response = await h.get('/scorecard', rep.cookie);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('rate limit', () => {
  it('limits failed sign-in attempts per address (even a valid link then waits), and lets them through after the window', async () => {
    h.clock.now = new Date(NOW.getTime() + 60 * 60_000);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++) statuses.push((await h.post('/signin', { token: 'garbage' })).status);
      expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
      expect(statuses.slice(20)).toEqual([429, 429]);
      expect((await h.post('/signin', { token: h.token(USERS.rep) })).status).toBe(429);
      h.clock.now = new Date(NOW.getTime() + 71 * 60_000);
      expect((await h.post('/signin', { token: h.token(USERS.rep) })).status).toBe(303);
    } finally {
      h.clock.now = NOW;
    }
  });
});

void CHANNELS;
