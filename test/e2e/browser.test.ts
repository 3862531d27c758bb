// Browser e2e: Debian's Chromium (playwright-core) runs the BUILT browser entry (dist/index.js, bundled
// by esbuild into the test page) against the loopback emulators (dist/emulator.js). Same origin: the
// page is served by the platform's own emulator. Cross-site: the page is on http://localhost:<p1>
// and the API on http://127.0.0.1:<p2> (ports alone would be the same site).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as EmulatorModule from '../../src/emulators/index.js';
import type * as ApiModule from '../../src/api.js';
import type * as Sdk from '../../src/index.js';
import type * as NodeSdk from '../../src/node.js';
import type { PlatformMock } from '../../src/mocks/mock.js';
import { bundlePage, importBuilt, requireBuilt } from '../support/built.js';
import { launchChromium } from '../support/chromium.js';

type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: { name: string; message: string; reason?: string; status?: number; authwire: boolean } };

declare global {
  interface Window {
    authwire: typeof Sdk;
    createApi: typeof ApiModule.createApi;
    settle<T>(run: () => Promise<T>): Promise<Outcome<T>>;
    lc: Sdk.LowcoderClient;
    ap: Sdk.ApostropheClient;
    cc: Sdk.CocoClient;
  }
}

const LOWCODER_USER = { email: 'ada@example.com', password: 's3cret-Passw0rd' };
const COCO_USER = { email: 'admin@example.com', password: 's3cret-Passw0rd!' };
const APOSTROPHE_KEY = 'e2e-browser-key-7c21d0';
const LOWCODER_COOKIE = 'LOWCODER_CE_SELFHOST_TOKEN';
const WHOAMI = '/api/v1/@apostrophecms/login/whoami';
const APOS_LOGOUT = '/api/v1/@apostrophecms/login/logout';
const HTML = '<!doctype html><meta charset="utf-8"><title>authwire e2e</title><script src="/e2e/sdk.js"></script>';

/** What a server saw: enough to tell preflights, replays and which cookies travelled (names only). */
interface Seen {
  method: string;
  path: string;
  origin: string | undefined;
  requestHeaders: string | undefined;
  cookies: string[];
}

/** A server holding the page and/or a platform, and everything it was asked. */
interface Site {
  origin: string;
  seen: Seen[];
  close(): Promise<void>;
}

let browser: Browser;
let bundle: string;
let nodeSdk: typeof NodeSdk;
let emulators: EmulatorModule.Emulators;
let lowcoderSite: Site;
let apostropheSite: Site;
let cocoSite: Site;
/** Serves only the page: the other site of the cross-site cases. */
let pageSite: Site;

/** Logs every request, and serves the test page and its script; other paths fall through to the platform. */
function handler(seen: Seen[]) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = req.url ?? '/';
    seen.push({
      method: req.method ?? 'GET',
      path,
      origin: req.headers.origin,
      requestHeaders: req.headers['access-control-request-headers'],
      cookies: (req.headers.cookie ?? '').split(';').map((c) => c.split('=')[0]!.trim()).filter(Boolean),
    });
    if (req.method !== 'GET') return false;
    const body = path === '/e2e/' ? HTML : path === '/e2e/sdk.js' ? bundle : undefined;
    if (body === undefined) return false;
    res.writeHead(200, {
      'content-type': path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(body);
    return true;
  };
}

async function platformSite(serve: typeof EmulatorModule.serve, mock: PlatformMock<unknown>): Promise<Site> {
  const seen: Seen[] = [];
  const emulator = await serve(mock, { extra: handler(seen) });
  return { origin: new URL(emulator.url).origin, seen, close: emulator.close };
}

async function pageOnlySite(): Promise<Site> {
  const seen: Seen[] = [];
  const page = handler(seen);
  const server = createServer((req, res) => {
    if (!page(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Opens the test page in a fresh browser context (its own cookies) and closes it afterwards. */
async function withPage(url: string, use: (page: Page, context: BrowserContext) => Promise<void>) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => typeof window.authwire?.lowcoder === 'function');
    await use(page, context);
  } finally {
    await context.close();
  }
}

/** An outcome as text, so a failed assertion shows the error's message too. */
const show = (outcome: unknown) => JSON.stringify(outcome);
const cookieNamed = (cookies: Cookie[], name: string) => cookies.find((c) => c.name === name);
const sinceMark = (site: Site, mark: number, from?: string) =>
  site.seen.slice(mark).filter((s) => from === undefined || s.origin === from);
const line = (s: Seen) => `${s.method} ${s.path.replace(/\?.*/, '')}`;

beforeAll(async () => {
  requireBuilt('index.js', 'node.js', 'emulator.js');
  const emulatorModule = await importBuilt<typeof EmulatorModule>('emulator.js');
  nodeSdk = await importBuilt<typeof NodeSdk>('node.js');
  bundle = await bundlePage('page.mjs', ['index.js', 'api.js']);

  // startEmulators makes the three mocks; each is served again with the page and a request log.
  emulators = await emulatorModule.startEmulators({ apostrophe: { apiKeys: { [APOSTROPHE_KEY]: { role: 'admin' } } } });
  [lowcoderSite, apostropheSite, cocoSite, pageSite] = await Promise.all([
    platformSite(emulatorModule.serve, emulators.lowcoder.mock as PlatformMock<unknown>),
    platformSite(emulatorModule.serve, emulators.apostrophe.mock as PlatformMock<unknown>),
    platformSite(emulatorModule.serve, emulators.coco.mock as PlatformMock<unknown>),
    pageOnlySite(),
  ]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([lowcoderSite, apostropheSite, cocoSite, pageSite].map((site) => site?.close()));
  await emulators?.close();
});

describe('Chromium e2e against the built browser entry', () => {
  it('Apostrophe session mode, same origin: HttpOnly cookies, login, profile, reload, logout with the CSRF cookie', async () => {
    const state = emulators.apostrophe.mock.state;
    await withPage(`${apostropheSite.origin}/e2e/`, async (page, context) => {
      const login = await page.evaluate(() =>
        window.settle(() => {
          window.ap = window.authwire.apostrophe({ baseUrl: location.origin, mode: 'cookie' });
          return window.ap.login({ username: 'admin', password: 's3cret-Passw0rd' });
        }),
      );
      expect(login, show(login)).toMatchObject({ ok: true, value: { signedIn: true, mode: 'cookie', user: { username: 'admin' } } });
      const cookies = await context.cookies(apostropheSite.origin);
      const sid = cookieNamed(cookies, 'apos.sid');
      expect(sid).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      expect(cookieNamed(cookies, 'apos.csrf')).toMatchObject({ httpOnly: true, value: 'csrf' });
      const sessionId = /^s:([^.]+)\./.exec(decodeURIComponent(sid!.value))?.[1] ?? '';
      expect(state.sessions.has(sessionId)).toBe(true);

      const view = await page.evaluate(async () => ({
        cookie: document.cookie,
        profile: await window.settle(() => window.ap.profile()),
        session: await window.ap.session(),
      }));
      // document.cookie works on this page (the non-HttpOnly hint shows) but hides sid and csrf.
      expect(view.cookie).toContain('apos.loggedIn=true');
      expect(view.cookie).not.toMatch(/apos\.(sid|csrf)=/);
      expect(view.profile, show(view.profile)).toMatchObject({ ok: true, value: { username: 'admin' } });
      expect(view.session).toMatchObject({ signedIn: true, mode: 'cookie' });

      await page.reload();
      const found = await page.evaluate(async () => {
        window.ap = window.authwire.apostrophe({ baseUrl: location.origin, mode: 'cookie' });
        const before = (await window.ap.session()).signedIn;
        const profile = await window.settle(() => window.ap.profile());
        return { before, profile, after: await window.ap.session() };
      });
      expect(found).toMatchObject({
        before: false,
        profile: { ok: true, value: { username: 'admin' } },
        after: { signedIn: true, mode: 'cookie' },
      });

      const mark = apostropheSite.seen.length;
      const logout = await page.evaluate(() => window.settle(() => window.ap.logout()));
      expect(logout, show(logout)).toEqual({ ok: true, value: { serverRevoked: true } });
      // One POST, carrying the session and CSRF cookies: nothing had to be recovered.
      const sent = sinceMark(apostropheSite, mark).filter((s) => s.path === APOS_LOGOUT);
      expect(sent.map((s) => s.method)).toEqual(['POST']);
      expect(sent[0]!.cookies).toEqual(expect.arrayContaining(['apos.sid', 'apos.csrf']));
      expect(state.sessions.has(sessionId)).toBe(false);
      const after = await page.evaluate(() => window.settle(() => window.ap.profile()));
      expect(after, show(after)).toMatchObject({ ok: false, error: { name: 'NotAuthenticatedError', authwire: true } });
    });
  });

  it('Apostrophe session mode, same origin: a missing CSRF cookie is fetched (GET whoami) and the logout replayed', async () => {
    await withPage(`${apostropheSite.origin}/e2e/`, async (page, context) => {
      const login = await page.evaluate(() =>
        window.settle(() => {
          window.ap = window.authwire.apostrophe({ baseUrl: location.origin, mode: 'cookie' });
          return window.ap.login({ username: 'admin', password: 's3cret-Passw0rd' });
        }),
      );
      expect(login.ok).toBe(true);
      await context.clearCookies({ name: 'apos.csrf' });
      expect(cookieNamed(await context.cookies(apostropheSite.origin), 'apos.csrf')).toBeUndefined();
      const mark = apostropheSite.seen.length;
      const logout = await page.evaluate(() => window.settle(() => window.ap.logout()));
      expect(logout, show(logout)).toEqual({ ok: true, value: { serverRevoked: true } });
      const sent = sinceMark(apostropheSite, mark).filter((s) => s.method !== 'OPTIONS');
      expect(sent.map((s) => `${line(s)} csrf:${s.cookies.includes('apos.csrf')}`)).toEqual([
        `POST ${APOS_LOGOUT} csrf:false`,
        `GET ${WHOAMI} csrf:false`,
        `POST ${APOS_LOGOUT} csrf:true`,
      ]);
    });
  });

  it('Lowcoder cookie login, same origin: HttpOnly cookie, profile, reload, logout; an API key beats the stale cookie', async () => {
    const state = emulators.lowcoder.mock.state;
    await withPage(`${lowcoderSite.origin}/e2e/`, async (page, context) => {
      const login = await page.evaluate(() =>
        window.settle(() => {
          window.lc = window.authwire.lowcoder({ baseUrl: location.origin });
          return window.lc.login({ email: 'ada@example.com', password: 's3cret-Passw0rd' });
        }),
      );
      expect(login, show(login)).toMatchObject({ ok: true, value: { signedIn: true, mode: 'cookie', user: { email: LOWCODER_USER.email } } });
      const cookie = cookieNamed(await context.cookies(lowcoderSite.origin), LOWCODER_COOKIE);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
      expect(state.sessions.has(cookie!.value)).toBe(true);

      const view = await page.evaluate(async () => {
        document.cookie = 'probe=visible; path=/';
        return {
          cookie: document.cookie,
          profile: await window.settle(() => window.lc.profile()),
          session: await window.lc.session(),
          key: await window.settle(() => window.lc.createApiKey({ name: 'browser-same-origin' })),
        };
      });
      expect(view.cookie).toContain('probe=visible');
      expect(view.cookie).not.toContain(LOWCODER_COOKIE);
      expect(view.profile, show(view.profile)).toMatchObject({ ok: true, value: { email: LOWCODER_USER.email } });
      expect(view.session).toMatchObject({ signedIn: true, mode: 'cookie' });
      expect(view.key.ok).toBe(true);
      const key = view.key.ok ? view.key.value.token : '';

      await page.reload();
      const found = await page.evaluate(async () => {
        window.lc = window.authwire.lowcoder({ baseUrl: location.origin });
        const before = (await window.lc.session()).signedIn;
        const profile = await window.settle(() => window.lc.profile());
        return { before, profile, after: await window.lc.session() };
      });
      expect(found).toMatchObject({
        before: false,
        profile: { ok: true, value: { email: LOWCODER_USER.email } },
        after: { signedIn: true, mode: 'cookie' },
      });

      const logout = await page.evaluate(() => window.settle(() => window.lc.logout()));
      expect(logout, show(logout)).toEqual({ ok: true, value: { serverRevoked: true } });
      expect(state.sessions.has(cookie!.value)).toBe(false);
      // Lowcoder sends no Set-Cookie on logout: the browser keeps the dead cookie.
      expect(cookieNamed(await context.cookies(lowcoderSite.origin), LOWCODER_COOKIE)?.value).toBe(cookie!.value);
      const keyed = await page.evaluate(async (token) => {
        const profile = await window.settle(() => window.authwire.lowcoder({ baseUrl: location.origin, apiKey: token }).profile());
        // Control: with credentials the stale cookie travels and Lowcoder ignores the key.
        const control = await fetch('/api/users/currentUser', { credentials: 'include', headers: { authorization: `Bearer ${token}` } });
        return { profile, anonymous: ((await control.json()) as { data: { id: string } }).data.id === '', after: await window.settle(() => window.lc.profile()) };
      }, key);
      expect(keyed).toMatchObject({
        profile: { ok: true, value: { email: LOWCODER_USER.email } },
        anonymous: true,
        after: { ok: false, error: { name: 'NotAuthenticatedError' } },
      });
    });
  });

  it('Lowcoder cookie login, cross-site with credentials: the SameSite=Lax cookie is dropped and login says so', async () => {
    const state = emulators.lowcoder.mock.state;
    await withPage(`${pageSite.origin}/e2e/`, async (page, context) => {
      const before = state.sessions.size;
      const mark = lowcoderSite.seen.length;
      const login = await page.evaluate(
        (api) =>
          window.settle(() => {
            window.lc = window.authwire.lowcoder({ baseUrl: api });
            return window.lc.login({ email: 'ada@example.com', password: 's3cret-Passw0rd' });
          }),
        lowcoderSite.origin,
      );
      expect(login, show(login)).toMatchObject({
        ok: false,
        error: { name: 'NotAuthenticatedError', reason: 'cookie-not-stored', authwire: true },
      });
      // The message names the cause and the ways out.
      const message = login.ok ? '' : login.error.message;
      expect(message).toMatch(/SameSite=Lax/);
      expect(message).toMatch(/same site/i);
      expect(message).toMatch(/https/);
      expect(message).toMatch(/API key/);
      // CORS admitted the credentialed login and the server made a session…
      expect(state.sessions.size).toBe(before + 1);
      const sent = sinceMark(lowcoderSite, mark, pageSite.origin);
      expect(sent.map(line)).toEqual(expect.arrayContaining(['POST /api/auth/form/login', 'GET /api/users/currentUser']));
      // …but Chromium kept no cookie from the cross-site answer, so none came back.
      expect(cookieNamed(await context.cookies(lowcoderSite.origin), LOWCODER_COOKIE)).toBeUndefined();
      expect(sent.filter((s) => s.cookies.includes(LOWCODER_COOKIE))).toEqual([]);
      expect(await page.evaluate(async () => (await window.lc.session()).signedIn)).toBe(false);
    });
  });

  it('Lowcoder API key, cross-origin: Lowcoder CORS admits the Authorization header', async () => {
    const owner = nodeSdk.lowcoder({ baseUrl: lowcoderSite.origin });
    await owner.login(LOWCODER_USER);
    const key = await owner.createApiKey({ name: 'browser-cross-origin' });
    await withPage(`${pageSite.origin}/e2e/`, async (page) => {
      const mark = lowcoderSite.seen.length;
      const result = await page.evaluate(
        async ({ api, token }) => {
          const keyed = window.authwire.lowcoder({ baseUrl: api, apiKey: token });
          return {
            profile: await window.settle(() => keyed.profile()),
            keys: await window.settle(() => keyed.listApiKeys()),
            session: await keyed.session(),
          };
        },
        { api: lowcoderSite.origin, token: key.token },
      );
      expect(result.profile, show(result.profile)).toMatchObject({ ok: true, value: { email: LOWCODER_USER.email } });
      expect(result.keys.ok && result.keys.value.some((k) => k.id === key.id)).toBe(true);
      expect(result.session).toMatchObject({ signedIn: true, mode: 'apiKey' });
      const preflight = sinceMark(lowcoderSite, mark, pageSite.origin).find((s) => s.method === 'OPTIONS');
      expect(preflight?.requestHeaders).toBe('authorization');
    });
    await owner.deleteApiKey(key.id);
    await owner.logout();
  });

  it('Apostrophe bearer and API key, cross-origin: `*` CORS without credentials admits them', async () => {
    const state = emulators.apostrophe.mock.state;
    await withPage(`${pageSite.origin}/e2e/`, async (page) => {
      const mark = apostropheSite.seen.length;
      const result = await page.evaluate(
        async ({ api, key }) => {
          window.ap = window.authwire.apostrophe({ baseUrl: api });
          const login = await window.settle(() => window.ap.login({ username: 'admin', password: 's3cret-Passw0rd' }));
          const profile = await window.settle(() => window.ap.profile());
          const token = await window.ap.credential();
          const logout = await window.settle(() => window.ap.logout());
          const after = await window.settle(() => window.ap.profile());
          const header = await window.settle(() => window.authwire.apostrophe({ baseUrl: api, apiKey: key }).profile());
          const query = await window.settle(() => window.authwire.apostrophe({ baseUrl: api, apiKey: key, apiKeyIn: 'query' }).profile());
          return { login, profile, token, logout, after, header, query };
        },
        { api: apostropheSite.origin, key: APOSTROPHE_KEY },
      );
      expect(result.login, show(result.login)).toMatchObject({ ok: true, value: { signedIn: true, mode: 'bearer', user: { username: 'admin' } } });
      expect(result.profile, show(result.profile)).toMatchObject({ ok: true, value: { username: 'admin' } });
      expect(result.logout, show(result.logout)).toEqual({ ok: true, value: { serverRevoked: true } });
      expect(state.tokens.has(result.token ?? '')).toBe(false);
      expect(result.after, show(result.after)).toMatchObject({ ok: false, error: { name: 'NotAuthenticatedError' } });
      expect(result.header, show(result.header)).toEqual({ ok: true, value: { title: 'System Task' } });
      expect(result.query, show(result.query)).toEqual({ ok: true, value: { title: 'System Task' } });
      const sent = sinceMark(apostropheSite, mark, pageSite.origin);
      // Preflights ask only for what the mode needs, and no request carries cookies.
      const asked = new Set(sent.flatMap((s) => (s.requestHeaders ?? '').split(',').filter(Boolean)));
      expect([...asked].sort()).toEqual(['authorization', 'content-type']);
      expect(sent.filter((s) => s.cookies.length)).toEqual([]);
    });
  });

  it('Coco, cross-origin: login and API token both fail with NetworkError (Coco never allows the origin)', async () => {
    const owner = nodeSdk.coco({ baseUrl: cocoSite.origin });
    await owner.login(COCO_USER);
    const key = await owner.createApiKey({ name: 'browser-cross-origin' });
    await withPage(`${pageSite.origin}/e2e/`, async (page) => {
      const mark = cocoSite.seen.length;
      const result = await page.evaluate(
        async ({ api, token }) => {
          window.cc = window.authwire.coco({ baseUrl: api });
          const login = await window.settle(() => window.cc.login({ email: 'admin@example.com', password: 's3cret-Passw0rd!' }));
          const keyed = await window.settle(() => window.authwire.coco({ baseUrl: api, apiKey: token }).profile({ maxRetries: 0 }));
          return { login, keyed, signedIn: (await window.cc.session()).signedIn };
        },
        { api: cocoSite.origin, token: key.token },
      );
      expect(result.login, show(result.login)).toMatchObject({ ok: false, error: { name: 'NetworkError', authwire: true } });
      expect(result.keyed, show(result.keyed)).toMatchObject({ ok: false, error: { name: 'NetworkError', authwire: true } });
      expect(result.login.ok ? '' : result.login.error.message).toMatch(/CORS/);
      expect(result.signedIn).toBe(false);
      const sent = sinceMark(cocoSite, mark, pageSite.origin).map(line);
      // /account/login has no CORS at all: the preflight fails and the POST is never sent.
      expect(sent).toContain('OPTIONS /account/login');
      expect(sent).not.toContain('POST /account/login');
      // /account/profile answers the preflight (X-API-TOKEN allowed), so the GET is sent; its answer
      // has no Access-Control-Allow-Origin, so the page may not read it.
      expect(sent).toEqual(expect.arrayContaining(['OPTIONS /account/profile', 'GET /account/profile']));
    });
    await owner.deleteApiKey(key.id!);
  });

  it('API key, same origin, with stale session cookies in the browser: no cookie rides along (all three platforms)', async () => {
    const lowcoderOwner = nodeSdk.lowcoder({ baseUrl: lowcoderSite.origin });
    await lowcoderOwner.login(LOWCODER_USER);
    const lowcoderKey = await lowcoderOwner.createApiKey({ name: 'browser-no-cookie' });
    const cocoOwner = nodeSdk.coco({ baseUrl: cocoSite.origin });
    await cocoOwner.login(COCO_USER);
    const cocoKey = await cocoOwner.createApiKey({ name: 'browser-no-cookie' });
    const cases = [
      { site: lowcoderSite, platform: 'lowcoder', options: { apiKey: lowcoderKey.token }, path: '/api/users/me', cookie: LOWCODER_COOKIE },
      { site: apostropheSite, platform: 'apostrophe', options: { apiKey: APOSTROPHE_KEY }, path: WHOAMI, cookie: 'apos.sid' },
      { site: apostropheSite, platform: 'apostrophe', options: { apiKey: APOSTROPHE_KEY, apiKeyIn: 'query' }, path: WHOAMI, cookie: 'apos.sid' },
      { site: cocoSite, platform: 'coco', options: { apiKey: cocoKey.token! }, path: '/account/profile', cookie: `${emulators.coco.mock.state.cookieName}` },
    ] as const;
    for (const { site, platform, options, path, cookie } of cases)
      await withPage(`${site.origin}/e2e/`, async (page, context) => {
        await context.addCookies([
          { name: cookie, value: 'stale-session-value', url: site.origin },
          { name: 'probe', value: 'visible', url: site.origin },
        ]);
        const mark = site.seen.length;
        const result = await page.evaluate(
          async ({ platform, options, path }) => {
            const make = window.authwire[platform] as (o: object) => Sdk.LowcoderClient;
            const client = make({ baseUrl: location.origin, ...options });
            const profile = await window.settle(() => client.profile());
            const api = await window.settle(async () => (await window.createApi<Record<string, { get: {} }>>(client).GET(path as never)).response.status);
            // Control: a request that includes credentials does carry the cookies.
            await fetch(`${path}?control`, { credentials: 'include' });
            return { profile, api };
          },
          { platform, options, path },
        );
        const label = `${platform} ${JSON.stringify(options.apiKey === APOSTROPHE_KEY ? options : platform)}`;
        expect(result.profile, `${label}: ${show(result.profile)}`).toMatchObject({ ok: true });
        expect(result.api, `${label}: ${show(result.api)}`).toEqual({ ok: true, value: 200 });
        const sent = sinceMark(site, mark).filter((s) => s.method !== 'OPTIONS');
        expect(sent.map((s) => `${s.path.includes('control') ? 'control' : 'sdk'} ${s.cookies.sort().join(',')}`), label).toEqual([
          'sdk ',
          'sdk ',
          `control ${[cookie, 'probe'].sort().join(',')}`,
        ]);
      });
    await lowcoderOwner.deleteApiKey(lowcoderKey.id);
    await lowcoderOwner.logout();
    await cocoOwner.deleteApiKey(cocoKey.id!);
    // Four pages in turn: more than the default 30 s on a loaded machine.
  }, 120_000);

  it('Coco cookie session, same origin (as its bundled web UI): HttpOnly cookie, profile, API tokens, logout', async () => {
    const state = emulators.coco.mock.state;
    await withPage(`${cocoSite.origin}/e2e/`, async (page, context) => {
      const result = await page.evaluate(async () => {
        window.cc = window.authwire.coco({ baseUrl: location.origin, mode: 'cookie' });
        const login = await window.settle(() => window.cc.login({ email: 'admin@example.com', password: 's3cret-Passw0rd!' }));
        const key = await window.settle(() => window.cc.createApiKey({ name: 'browser-same-origin' }));
        const listed = await window.settle(() => window.cc.listApiKeys({ query: 'browser-same-origin' }));
        return { login, key, listed, cookie: document.cookie, profile: await window.settle(() => window.cc.profile()) };
      });
      expect(result.login, show(result.login)).toMatchObject({ ok: true, value: { signedIn: true, mode: 'cookie', user: { email: COCO_USER.email } } });
      expect(result.listed, show(result.listed)).toMatchObject({ ok: true, value: { total: 1 } });
      expect(result.profile, show(result.profile)).toMatchObject({ ok: true, value: { email: COCO_USER.email } });
      const cookie = (await context.cookies(cocoSite.origin)).find((c) => c.name.startsWith('INFINI-SESSION-'));
      expect(cookie).toMatchObject({ httpOnly: true });
      expect(result.cookie).not.toContain('INFINI-SESSION-');
      expect(state.sessions.has(cookie!.value)).toBe(true);
      const logout = await page.evaluate(() => window.settle(() => window.cc.logout()));
      expect(logout, show(logout)).toEqual({ ok: true, value: { serverRevoked: false } });
      expect((await context.cookies(cocoSite.origin)).some((c) => c.name.startsWith('INFINI-SESSION-'))).toBe(false);
      // The browser dropped the cookie, but Coco revoked nothing: a copy still opens the profile.
      const copy = await fetch(`${cocoSite.origin}/account/profile`, { headers: { cookie: `${cookie!.name}=${cookie!.value}` } });
      expect(copy.status).toBe(200);
    });
  });
});
