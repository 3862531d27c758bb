// Chromium e2e of forRequest(): a small loopback back end in front of each platform's emulator
// (the BUILT package: dist/node.js and dist/emulator.js). The page only talks to its back end; the
// back end calls the platform as the page's user with `client.forRequest(...)` and relays the
// platform's Set-Cookie lines. Lowcoder and Coco get a plain `node:http` back end (forRequest(req)),
// Apostrophe a fetch-style one (`Request` → `Response`), as the README shows.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as EmulatorModule from '../../src/emulators/index.js';
import type * as ApiModule from '../../src/api.js';
import type * as NodeSdk from '../../src/node.js';
import { importBuilt, requireBuilt } from '../support/built.js';
import { launchChromium } from '../support/chromium.js';

const WHOAMI = '/api/v1/@apostrophecms/login/whoami';
/** Cookies the browser holds for the back end's host from other apps and sites: none may reach a platform. */
const FOREIGN = [
  { name: 'other-app.sid', value: 'FOREIGN-other-app-41c2' },
  { name: 'analytics', value: 'FOREIGN-analytics-7d0e' },
  { name: 'LOWCODER_DEBUG_TOKEN', value: 'FOREIGN-another-lowcoder-9a11' },
  { name: 'blog.sid', value: 'FOREIGN-another-apostrophe-5f3b' },
];

type Name = 'lowcoder' | 'apostrophe' | 'coco';
type AnyClient = NodeSdk.LowcoderClient | NodeSdk.ApostropheClient | NodeSdk.CocoClient;
type Forwarded = NodeSdk.ForwardedClient<AnyClient>;

interface Backend {
  origin: string;
  /** The cookie pairs of every request the back end sent to the platform. */
  platformCookies: string[][];
  close(): Promise<void>;
}

let sdk: typeof NodeSdk;
let createApi: typeof ApiModule.createApi;
let emulators: EmulatorModule.Emulators;
let browser: Browser;
const backends: Partial<Record<Name, Backend>> = {};

const LOGINS: Record<Name, Record<string, string>> = {
  lowcoder: { email: 'ada@example.com', password: 's3cret-Passw0rd' },
  apostrophe: { username: 'admin', password: 's3cret-Passw0rd' },
  coco: { email: 'admin@example.com', password: 's3cret-Passw0rd!' },
};
const SESSION_COOKIE: Record<Name, RegExp> = {
  lowcoder: /^LOWCODER_CE_SELFHOST_TOKEN$/,
  apostrophe: /^apos\.sid$/,
  coco: /^INFINI-SESSION-/,
};
const OWN_COOKIE: Record<Name, RegExp> = {
  lowcoder: /^LOWCODER_CE_SELFHOST_TOKEN$/,
  apostrophe: /^apos\.(sid|csrf)$/,
  coco: /^INFINI-SESSION-/,
};

/** What the back end does for the page, written once for both server styles. */
async function act(name: Name, forwarded: Forwarded, method: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  try {
    if (method === 'POST' && path === '/login') return { status: 200, json: (await forwarded.login(body as never)).user };
    if (method === 'GET' && path === '/me') return { status: 200, json: await forwarded.profile() };
    if (method === 'POST' && path === '/logout') return { status: 200, json: await forwarded.logout() };
    if (method === 'POST' && path === '/write' && name === 'apostrophe') {
      const { response } = await createApi(forwarded as unknown as NodeSdk.ApostropheClient).POST(WHOAMI);
      return { status: response.status, json: {} };
    }
    return { status: 404, json: {} };
  } catch (error) {
    const e = error as NodeSdk.AuthwireError;
    return { status: sdk.isNotAuthenticatedError(e) ? 401 : 500, json: { name: e.name, reason: e.reason, status: e.status } };
  }
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>back end</title><p>signed in through the back end';

async function readBody(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server, platformCookies: string[][]): Promise<Backend> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, platformCookies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The platform client of a back end, recording the cookies each of its requests carried. */
function platformClient(name: Name, platformCookies: string[][]): AnyClient {
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    platformCookies.push((request.headers.get('cookie') ?? '').split(';').map((c) => c.trim()).filter(Boolean));
    return globalThis.fetch(request);
  };
  const baseUrl = emulators[name].url;
  if (name === 'lowcoder') return sdk.lowcoder({ baseUrl, fetch });
  if (name === 'apostrophe') return sdk.apostrophe({ baseUrl, fetch, shortName: 'apos' });
  return sdk.coco({ baseUrl, fetch });
}

/** A plain `node:http` back end: forRequest(req), Set-Cookie relayed with appendHeader. */
function nodeBackend(name: Name): Promise<Backend> {
  const platformCookies: string[][] = [];
  const client = platformClient(name, platformCookies);
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    const raw = await readBody(req);
    const forwarded = client.forRequest(req) as Forwarded;
    const { status, json } = await act(name, forwarded, req.method ?? 'GET', req.url ?? '/', raw.length ? JSON.parse(raw.toString()) : undefined);
    for (const line of forwarded.setCookies()) res.appendHeader('set-cookie', line);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  });
  return listen(server, platformCookies);
}

/** A fetch-style back end (`Request` → `Response`), served through a minimal node:http bridge. */
function fetchBackend(name: Name): Promise<Backend> {
  const platformCookies: string[][] = [];
  const client = platformClient(name, platformCookies);
  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/') return new Response(PAGE, { headers: { 'content-type': 'text/html' } });
    const forwarded = client.forRequest(request) as Forwarded;
    const text = await request.text();
    const { status, json } = await act(name, forwarded, request.method, url.pathname, text ? JSON.parse(text) : undefined);
    const response = Response.json(json, { status });
    for (const line of forwarded.setCookies()) response.headers.append('set-cookie', line);
    return response;
  }
  const server = createServer(async (req, res) => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) for (const v of [value ?? []].flat()) headers.append(key, v);
    const raw = await readBody(req);
    const response = await handle(new Request(`http://${req.headers.host}${req.url}`, { method: req.method ?? 'GET', headers, ...(raw.length && { body: raw }) }));
    for (const [key, value] of response.headers) if (key !== 'set-cookie') res.setHeader(key, value);
    for (const line of response.headers.getSetCookie()) res.appendHeader('set-cookie', line);
    res.writeHead(response.status).end(Buffer.from(await response.arrayBuffer()));
  });
  return listen(server, platformCookies);
}

beforeAll(async () => {
  requireBuilt('node.js', 'api.js', 'emulator.js');
  const emulatorModule = await importBuilt<typeof EmulatorModule>('emulator.js');
  sdk = await importBuilt<typeof NodeSdk>('node.js');
  createApi = (await importBuilt<typeof ApiModule>('api.js')).createApi;
  emulators = await emulatorModule.startEmulators();
  [backends.lowcoder, backends.apostrophe, backends.coco] = await Promise.all([nodeBackend('lowcoder'), fetchBackend('apostrophe'), nodeBackend('coco')]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(Object.values(backends).map((b) => b.close()));
  await emulators?.close();
});

/** A call from the page to its back end (same origin: the browser sends the back end's cookies). */
const call = (page: Page, method: string, path: string, body?: unknown) =>
  page.evaluate(
    async ([m, p, b]) => {
      const r = await fetch(p as string, { method: m as string, ...(b !== undefined && { body: JSON.stringify(b), headers: { 'content-type': 'application/json' } }) });
      return { status: r.status, json: (await r.json()) as Record<string, unknown> };
    },
    [method, path, body] as const,
  );

async function pageFor(backend: Backend): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  await context.addCookies(FOREIGN.map((c) => ({ ...c, domain: '127.0.0.1', path: '/' })));
  const page = await context.newPage();
  await page.goto(`${backend.origin}/`);
  return { context, page };
}

describe.each(['lowcoder', 'apostrophe', 'coco'] as const)('Chromium → back end → %s emulator', (name) => {
  it('signs in through the back end, acts as the user, relays cookies, signs out; never forwards other cookies', async () => {
    const backend = backends[name]!;
    const { context, page } = await pageFor(backend);
    const sessionCookies = async () => (await context.cookies(backend.origin)).filter((c) => SESSION_COOKIE[name].test(c.name));
    try {
      // No platform cookie yet: a typed refusal, and nothing was sent to the platform.
      expect(await call(page, 'GET', '/me')).toEqual({ status: 401, json: { name: 'NotAuthenticatedError', reason: 'not-forwarded' } });
      expect(backend.platformCookies).toEqual([]);

      const login = await call(page, 'POST', '/login', LOGINS[name]);
      expect(login.status).toBe(200);
      const [session] = await sessionCookies();
      expect(session).toMatchObject({ httpOnly: true, domain: '127.0.0.1', path: '/' });

      const me = await call(page, 'GET', '/me');
      expect(me.status).toBe(200);
      expect(JSON.stringify(me.json)).toContain(name === 'apostrophe' ? 'admin' : name === 'lowcoder' ? 'ada@example.com' : 'admin');

      if (name === 'apostrophe') {
        // The CSRF cookie came with a GET: a write carries it, with no priming round trip.
        expect((await context.cookies(backend.origin)).map((c) => c.name)).toContain('apos.csrf');
        const before = backend.platformCookies.length;
        expect((await call(page, 'POST', '/write')).status).toBe(200);
        expect(backend.platformCookies.length - before).toBe(1);
        // What the browser sent is forwarded as exactly the session and CSRF cookies.
        expect(backend.platformCookies.at(-1)!.map((pair) => pair.split('=')[0]).sort()).toEqual(['apos.csrf', 'apos.sid']);
        // A browser that lost it gets a fresh one relayed by the next read.
        await context.clearCookies({ name: 'apos.csrf' });
        expect((await call(page, 'GET', '/me')).status).toBe(200);
        expect((await context.cookies(backend.origin)).find((c) => c.name === 'apos.csrf')).toMatchObject({ value: 'csrf', httpOnly: true });
      }

      const logout = await call(page, 'POST', '/logout');
      expect(logout).toMatchObject({ status: 200, json: { serverRevoked: expect.any(Boolean) } });
      expect(await sessionCookies()).toEqual([]);
      expect(await call(page, 'GET', '/me')).toEqual({ status: 401, json: { name: 'NotAuthenticatedError', reason: 'not-forwarded' } });

      // Replaying the old cookie after logout: the platform's own refusal, typed, never an anonymous
      // answer. Coco's cookie carries the login JWT and its logout revokes nothing: a copy keeps working.
      const stale = await pageFor(backend);
      await stale.context.addCookies([{ name: session!.name, value: session!.value, domain: '127.0.0.1', path: '/' }]);
      const replayed = await call(stale.page, 'GET', '/me');
      if (name === 'coco') expect(replayed.status).toBe(200);
      else {
        expect(replayed.status).toBe(401);
        expect(replayed.json).toMatchObject({ name: 'NotAuthenticatedError', reason: name === 'lowcoder' ? 'anonymous' : 'signed-out' });
      }
      await stale.context.close();

      // Every request to the platform carried its own cookies and nothing else the browser had.
      const sent = backend.platformCookies.flat();
      expect(sent.length).toBeGreaterThan(0);
      for (const pair of sent) expect(pair.split('=')[0]).toMatch(OWN_COOKIE[name]);
      for (const { value } of FOREIGN) expect(sent.join(';')).not.toContain(value);
    } finally {
      await context.close();
    }
  });
});
