// The differential: identical raw request sequences (plain fetch, no SDK) against authwire's
// Apostrophe mock, served on a loopback socket by the emulator, and against the real ApostropheCMS.
// Each answer is reduced to what a client can rely on — status, media type, body shape (with the
// error `name`), cookie names, values and attributes, CORS headers — and both lists must be equal.
// What is left out, and why: message texts (translated, and the lockout length is configured),
// HTML page contents (only their media type), ids, tokens and dates (only their form).
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serve, type Emulator } from '../../src/emulators/index.js';
import { createApostropheMock } from '../../src/mocks/apostrophe.js';
import { ADMIN, API_KEYS, ADMIN_KEY, INCOMPLETE_LIFETIME_MS, THROTTLE, USER_PASSWORD } from './sites.js';
import { apiHeadersOnly } from './wire.js';

const { sites } = inject('apostrophe');
const L = '/api/v1/@apostrophecms/login';
const CSRF = 'apos.csrf=csrf';

/** What a client can rely on in one answer. */
interface Observation {
  step: string;
  status: number;
  type: string | null;
  body: unknown;
  cookies: string[];
  cors: Record<string, string>;
}

/** Types and keys of a JSON body; the values of `name` and `error`, which clients branch on. */
function shape(value: unknown, key = ''): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k], k)]));
  if ((key === 'name' || key === 'error') && typeof value === 'string') return value;
  return typeof value;
}

/** A cookie line with its variable parts named: session ids, dates, secrets. */
const cookieShape = (line: string) =>
  line
    .replace(/^([^=]+\.sid)=s%3A[^;]+/, '$1=<signed id>')
    .replace(/Expires=[^;]+GMT/, (m) => (m.includes('1970') ? m : 'Expires=<date>'));

async function observe(step: string, response: Response): Promise<Observation> {
  const clean = apiHeadersOnly(response);
  const text = await response.text();
  const type = clean.headers.get('content-type');
  let body: unknown = text === '' ? '<empty>' : '<text>';
  if (type?.startsWith('application/json')) body = shape(JSON.parse(text));
  const cors = Object.fromEntries([...clean.headers].filter(([name]) => name.startsWith('access-control-')));
  return { step, status: response.status, type, body, cookies: clean.headers.getSetCookie().map(cookieShape), cors };
}

/** One target's run of a sequence: `send` records each answer. */
interface Run {
  base: string;
  observations: Observation[];
  send(step: string, method: string, path: string, init?: { headers?: Record<string, string>; json?: unknown; body?: string }): Promise<Response>;
  /** The `Cookie` header for the cookies received so far in this run (later ones win). */
  jar(): string;
}

function run(base: string): Run {
  const observations: Observation[] = [];
  const cookies = new Map<string, string>();
  return {
    base,
    observations,
    jar: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    async send(step, method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.json !== undefined) headers['content-type'] = 'application/json';
      const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
      const response = await fetch(base + path, { method, headers, ...(body === undefined ? {} : { body }), redirect: 'manual' });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        if (/Expires=Thu, 01 Jan 1970/.test(line)) cookies.delete(pair.slice(0, at));
        else cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
      observations.push(await observe(step, response.clone()));
      return response;
    },
  };
}

type Sequence = (r: Run) => Promise<void>;

/** Computes the code the way an authenticator app would, away from the edge of a 30 s step. */
async function totp(secret: string) {
  const inStep = Date.now() % 30_000;
  if (inStep > 28_500) await new Promise((resolve) => setTimeout(resolve, 30_000 - inStep + 200));
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
}

let serial = 0;
const ghost = () => `ghost-${process.pid}-${++serial}`;

const SEQUENCES: Record<string, Sequence> = {
  async anonymous(r) {
    await r.send('GET whoami', 'GET', `${L}/whoami`);
    await r.send('POST whoami, no CSRF cookie', 'POST', `${L}/whoami`);
    await r.send('POST whoami, CSRF cookie', 'POST', `${L}/whoami`, { headers: { cookie: CSRF } });
    await r.send('GET context', 'GET', `${L}/context`);
    await r.send('POST context, CSRF cookie', 'POST', `${L}/context`, { headers: { cookie: CSRF } });
    await r.send('POST logout, CSRF cookie', 'POST', `${L}/logout`, { headers: { cookie: CSRF } });
    await r.send('POST requirement-props, no requirement configured', 'POST', `${L}/requirement-props`, { headers: { cookie: CSRF }, json: { incompleteToken: 'x', name: 'AposTotp' } });
    await r.send('POST requirement-verify, no CSRF cookie', 'POST', `${L}/requirement-verify`, { json: { incompleteToken: 'x', name: 'AposTotp', value: '1' } });
    await r.send('GET unknown API route', 'GET', '/api/v1/authwire-nope');
    await r.send('POST unknown API route, CSRF cookie', 'POST', '/api/v1/authwire-nope', { headers: { cookie: CSRF } });
    await r.send('POST unknown API route, no CSRF cookie', 'POST', '/api/v1/authwire-nope');
    await r.send('POST reset-request, reset off', 'POST', `${L}/reset-request`, { headers: { cookie: CSRF }, json: { email: 'diff' } });
  },
  async refusals(r) {
    const name = ghost();
    await r.send('login, missing password', 'POST', `${L}/login`, { json: { username: name } });
    for (let i = 1; i <= 3; i++) await r.send(`login, wrong password ${i}`, 'POST', `${L}/login`, { json: { username: name, password: 'wrong' } });
    await r.send('login, throttled', 'POST', `${L}/login`, { json: { username: name, password: 'wrong' } });
    await r.send('login, malformed JSON', 'POST', `${L}/login`, { headers: { 'content-type': 'application/json' }, body: '{"username":' });
    await r.send('login with a query string, no CSRF cookie', 'POST', `${L}/login?x=1`, { json: { username: 'diff', password: USER_PASSWORD } });
    await r.send('login with a stale bearer', 'POST', `${L}/login`, { headers: { authorization: 'Bearer not-a-token' }, json: { username: 'diff', password: USER_PASSWORD } });
    await r.send('login with an unknown API key', 'POST', `${L}/login`, { headers: { authorization: 'ApiKey nope' }, json: { username: 'diff', password: USER_PASSWORD } });
  },
  async bearer(r) {
    const login = await r.send('login, bearer', 'POST', `${L}/login`, { json: { username: 'diff', password: USER_PASSWORD } });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    await r.send('GET whoami, bearer', 'GET', `${L}/whoami`, { headers: auth });
    await r.send('POST whoami, bearer, loggedIn cookie sent', 'POST', `${L}/whoami`, { headers: { ...auth, cookie: 'apos.loggedIn=true' } });
    await r.send('GET whoami, bearer in the query', 'GET', `${L}/whoami?access_token=${token}`);
    await r.send('GET whoami, bearer in the query and the header', 'GET', `${L}/whoami?access_token=${token}`, { headers: auth });
    await r.send('GET unknown API route, bearer', 'GET', '/api/v1/authwire-nope', { headers: auth });
    await r.send('POST logout, bearer', 'POST', `${L}/logout`, { headers: auth });
    await r.send('GET whoami, revoked bearer', 'GET', `${L}/whoami`, { headers: auth });
    await r.send('GET unknown API route, revoked bearer', 'GET', '/api/v1/authwire-nope', { headers: auth });
    await r.send('GET a page URL, revoked bearer', 'GET', '/authwire-page', { headers: auth });
  },
  async session(r) {
    await r.send('login, session', 'POST', `${L}/login`, { json: { username: 'diff', password: USER_PASSWORD, session: true } });
    await r.send('GET whoami, session', 'GET', `${L}/whoami`, { headers: { cookie: r.jar() } });
    const sid = r.jar().split('; ').find((c) => c.startsWith('apos.sid='))!;
    await r.send('POST whoami, session without CSRF cookie', 'POST', `${L}/whoami`, { headers: { cookie: sid } });
    await r.send('POST whoami, session and CSRF cookie', 'POST', `${L}/whoami`, { headers: { cookie: r.jar() } });
    await r.send('GET unknown API route, session', 'GET', '/api/v1/authwire-nope', { headers: { cookie: r.jar() } });
    await r.send('POST logout, session', 'POST', `${L}/logout`, { headers: { cookie: `${sid}; ${CSRF}` } });
    await r.send('GET whoami, destroyed session', 'GET', `${L}/whoami`, { headers: { cookie: sid } });
  },
  async apiKeys(r) {
    const key = { authorization: `ApiKey ${ADMIN_KEY}` };
    await r.send('GET whoami, API key header', 'GET', `${L}/whoami`, { headers: key });
    await r.send('POST whoami, API key in the query', 'POST', `${L}/whoami?apikey=${ADMIN_KEY}`);
    await r.send('GET unknown API route, API key', 'GET', '/api/v1/authwire-nope', { headers: key });
    await r.send('POST logout, API key', 'POST', `${L}/logout`, { headers: key });
    await r.send('GET whoami, unknown API key', 'GET', `${L}/whoami`, { headers: { authorization: 'ApiKey nope' } });
    await r.send('GET a page URL, unknown API key', 'GET', '/authwire-page', { headers: { authorization: 'ApiKey nope' } });
  },
  async cors(r) {
    const origin = { origin: 'http://elsewhere.test' };
    await r.send('preflight login', 'OPTIONS', `${L}/login`, { headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    await r.send('cross-origin whoami, API key', 'GET', `${L}/whoami`, { headers: { ...origin, authorization: `ApiKey ${ADMIN_KEY}` } });
    await r.send('cross-origin login, wrong password', 'POST', `${L}/login`, { headers: origin, json: { username: ghost(), password: 'wrong' } });
  },
};

/** Multi-step (login-totp) sequences, each for a fresh account. */
const TOTP_SEQUENCES: Record<string, (r: Run, username: string) => Promise<void>> = {
  async 'enrol, then finish in bearer mode'(r, username) {
    const login = await r.send('login, password accepted', 'POST', `${L}/login`, { json: { username, password: USER_PASSWORD } });
    const { incompleteToken } = (await login.json()) as { incompleteToken: string };
    const step = (value?: string) => ({ headers: { cookie: CSRF }, json: { incompleteToken, name: 'AposTotp', ...(value === undefined ? {} : { value }) } });
    await r.send('requirement-props, no CSRF cookie', 'POST', `${L}/requirement-props`, { json: { incompleteToken, name: 'AposTotp' } });
    await r.send('requirement-props, unknown requirement', 'POST', `${L}/requirement-props`, { headers: { cookie: CSRF }, json: { incompleteToken, name: 'Nope' } });
    await r.send('whoami with the pending token as a bearer', 'GET', `${L}/whoami`, { headers: { authorization: `Bearer ${incompleteToken}` } });
    await r.send('finish before verifying', 'POST', `${L}/login`, { json: { incompleteToken } });
    await r.send('requirement-verify, wrong code', 'POST', `${L}/requirement-verify`, step('000000'));
    const props = await r.send('requirement-props, enrolment', 'POST', `${L}/requirement-props`, step());
    const { token } = (await props.json()) as { token: string };
    await r.send('requirement-verify, right code', 'POST', `${L}/requirement-verify`, step(await totp(token)));
    await r.send('requirement-props after verifying', 'POST', `${L}/requirement-props`, step());
    await r.send('whoami with the verified token as a bearer', 'GET', `${L}/whoami`, { headers: { authorization: `Bearer ${incompleteToken}` } });
    await r.send('finish in bearer mode', 'POST', `${L}/login`, { json: { incompleteToken } });
    await r.send('whoami with the finished token', 'GET', `${L}/whoami`, { headers: { authorization: `Bearer ${incompleteToken}` } });
    await r.send('finish again', 'POST', `${L}/login`, { json: { incompleteToken, session: true } });
  },
  async 'enrolled account: throttle, then finish in session mode'(r, username) {
    // Enrol first (as above, unobserved by the comparison of this sequence's later steps).
    const first = (await (await r.send('login', 'POST', `${L}/login`, { json: { username, password: USER_PASSWORD } })).json()) as { incompleteToken: string };
    const enrol = { headers: { cookie: CSRF }, json: { incompleteToken: first.incompleteToken, name: 'AposTotp' } };
    const { token } = (await (await r.send('requirement-props, enrolment', 'POST', `${L}/requirement-props`, enrol)).json()) as { token: string };
    await r.send('requirement-verify, enrol', 'POST', `${L}/requirement-verify`, { ...enrol, json: { ...enrol.json, value: await totp(token) } });
    const login = await r.send('login again, password accepted', 'POST', `${L}/login`, { json: { username, password: USER_PASSWORD, session: true } });
    const { incompleteToken } = (await login.json()) as { incompleteToken: string };
    const step = (value?: string) => ({ headers: { cookie: CSRF }, json: { incompleteToken, name: 'AposTotp', ...(value === undefined ? {} : { value }) } });
    await r.send('requirement-props, enrolled', 'POST', `${L}/requirement-props`, step());
    for (let i = 1; i <= 3; i++) await r.send(`requirement-verify, wrong code ${i}`, 'POST', `${L}/requirement-verify`, step('000000'));
    await r.send('requirement-verify, throttled right code', 'POST', `${L}/requirement-verify`, step(await totp(token)));
    await new Promise((resolve) => setTimeout(resolve, THROTTLE.lockoutMinutes * 60_000 + 1000));
    await r.send('requirement-verify, right code after the lockout', 'POST', `${L}/requirement-verify`, step(await totp(token)));
    await r.send('finish in session mode', 'POST', `${L}/login`, { headers: { cookie: CSRF }, json: { incompleteToken, session: true } });
    await r.send('GET whoami, session', 'GET', `${L}/whoami`, { headers: { cookie: r.jar() } });
  },
};

function compare(mock: Observation[], real: Observation[]) {
  const differences: string[] = [];
  expect(mock.map((o) => o.step)).toEqual(real.map((o) => o.step));
  real.forEach((r, i) => {
    const m = mock[i]!;
    for (const field of ['status', 'type', 'body', 'cookies', 'cors'] as const) {
      if (JSON.stringify(m[field]) !== JSON.stringify(r[field]))
        differences.push(`${r.step} — ${field}: mock ${JSON.stringify(m[field])}, real ${JSON.stringify(r[field])}`);
    }
  });
  return differences;
}

/** The mocks follow the wall clock here, as the real server does (lockouts end, TOTP steps advance). */
const wallClock = { now: () => Date.now(), advance() {}, set() {} };

describe('the Apostrophe mock against the real ApostropheCMS, request by request', () => {
  let plain: Emulator;
  let totpMock: Emulator;
  // Fresh accounts on both sides for every run: an enrolment cannot be undone.
  const enrolling = [1, 2].map((n) => `totp-diff-${process.pid}-${Date.now().toString(36)}-${n}`);
  const users = [{ username: 'diff', password: USER_PASSWORD, email: 'diff@example.com', title: 'diff' }, { ...ADMIN, title: ADMIN.username }];
  beforeAll(async () => {
    for (const username of enrolling) {
      const added = await fetch(`${sites.totp.url}/api/v1/@apostrophecms/user`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username, title: username, password: USER_PASSWORD, role: 'editor', email: `${username}@example.com` }),
      });
      expect(added.status).toBe(200);
    }
    plain = await serve(createApostropheMock({ clock: wallClock, apiKeys: API_KEYS, throttle: THROTTLE, users }) as never);
    totpMock = await serve(
      createApostropheMock({
        clock: wallClock,
        apiKeys: API_KEYS,
        throttle: THROTTLE,
        totp: true,
        incompleteLifetime: INCOMPLETE_LIFETIME_MS,
        users: enrolling.map((username) => ({ username, password: USER_PASSWORD, email: `${username}@example.com`, title: username })),
      }) as never,
    );
  });
  afterAll(async () => {
    await plain?.close();
    await totpMock?.close();
  });

  it.each(Object.keys(SEQUENCES))('%s', async (name) => {
    const real = run(sites.plain.url);
    const mock = run(plain.url);
    await SEQUENCES[name]!(real);
    await SEQUENCES[name]!(mock);
    expect(compare(mock.observations, real.observations)).toEqual([]);
  });

  it.each(Object.keys(TOTP_SEQUENCES).map((name, i) => [name, i] as const))(
    'login-totp: %s',
    async (name, i) => {
      const real = run(sites.totp.url);
      const mock = run(totpMock.url);
      await Promise.all([TOTP_SEQUENCES[name]!(real, enrolling[i]!), TOTP_SEQUENCES[name]!(mock, enrolling[i]!)]);
      expect(compare(mock.observations, real.observations)).toEqual([]);
    },
  );
});
