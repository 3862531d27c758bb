// Multi-step login through the built SDK against a real ApostropheCMS 4.32.2 running the real
// @apostrophecms/login-totp: first enrolment and later logins in bearer and cookie mode, wrong
// codes, the requirement's own throttle, an expired login step. Codes come from otpauth, as an
// authenticator app would compute them. Every answer is validated against openapi.yaml.
import * as OTPAuth from 'otpauth';
import { describe, expect, inject, it } from 'vitest';
import { INCOMPLETE_LIFETIME_MS, LOCKOUT_MS, USER_PASSWORD } from './sites.js';
import { builtPackage, trace, validatingFetch } from './wire.js';

const { apostrophe, ApiError, InvalidCredentialsError, NotAuthenticatedError, RateLimitedError } = await builtPackage();
const { sites } = inject('apostrophe');
const wire = validatingFetch('login-totp suite');
const client = (mode: 'bearer' | 'cookie') => apostrophe({ baseUrl: sites.totp.url, mode, fetch: wire.fetch, maxRetries: 0 });
const WHOAMI = `${sites.totp.url}/api/v1/@apostrophecms/login/whoami`;

/** The current code, away from the edge of a 30 s step (the plugin rounds where RFC 6238 floors). */
async function code(secret: string) {
  const inStep = Date.now() % 30_000;
  if (inStep > 28_500) await new Promise((resolve) => setTimeout(resolve, 30_000 - inStep + 200));
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
}

/** An authenticator app: enrols the secret offered on first use, then answers from it. */
function authenticator() {
  const app = { secret: undefined as string | undefined, seen: [] as { token?: string; identity?: string }[] };
  const answer = async (props: { token?: string; identity?: string }) => {
    app.seen.push(props);
    if (props.token) app.secret = props.token;
    if (!app.secret) throw new Error('not enrolled');
    return code(app.secret);
  };
  return { app, answer };
}

describe('multi-step login with the real @apostrophecms/login-totp', () => {
  it.each(['bearer', 'cookie'] as const)('enrols on first login and logs in again later, in %s mode', async (mode) => {
    const username = `enrol-${mode}`;
    const { app, answer } = authenticator();
    const apos = client(mode);
    const first = await apos.login({ username, password: USER_PASSWORD, requirements: { AposTotp: answer } });
    expect(first).toMatchObject({ mode, signedIn: true, user: { username } });
    expect(app.seen).toEqual([{ token: expect.stringMatching(/^[A-Z2-7]{32}$/), identity: `${username}@apos` }]);
    expect(await apos.profile()).toMatchObject({ username });
    const credential = (await apos.credential())!;
    expect(await apos.logout()).toEqual({ serverRevoked: true });
    const header: Record<string, string> = mode === 'bearer' ? { authorization: `Bearer ${credential}` } : { cookie: credential };
    expect((await fetch(WHOAMI, { headers: header })).status).toBe(mode === 'bearer' ? 401 : 404);

    // Enrolled now: the props are empty and the app answers from the secret it keeps.
    const from = wire.exchanges.length;
    const again = await apos.login({ username, password: USER_PASSWORD, requirements: { AposTotp: answer } });
    expect(again).toMatchObject({ mode, signedIn: true, user: { username } });
    expect(app.seen.at(-1)).toEqual({});
    expect(trace(wire.exchanges, from).filter((line) => !line.startsWith('GET '))).toEqual([
      'POST /api/v1/@apostrophecms/login/login → 200',
      // The step routes need the CSRF cookie: the first is refused, the SDK fetches it and replays.
      'POST /api/v1/@apostrophecms/login/requirement-props → 403',
      'POST /api/v1/@apostrophecms/login/requirement-props → 200',
      'POST /api/v1/@apostrophecms/login/requirement-verify → 200',
      ...(mode === 'cookie' ? ['POST /api/v1/@apostrophecms/login/login → 200'] : []),
    ]);
    expect(await apos.profile()).toMatchObject({ username });
    await apos.logout();
  });

  it('refuses a wrong code with InvalidCredentialsError, then throttles the requirement, right code included', async () => {
    const username = 'totp-throttle';
    const { app, answer } = authenticator();
    const apos = client('bearer');
    // Enrol, so that the wrong codes below are wrong for an enrolled account.
    await apos.login({ username, password: USER_PASSWORD, requirements: { AposTotp: answer } });
    await apos.logout();
    const wrong = { username, password: USER_PASSWORD, requirements: { AposTotp: () => '000000' } };
    for (let i = 0; i < 3; i++) {
      const error = await apos.login(wrong).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidCredentialsError);
      expect(error).toMatchObject({ status: 400, code: 'invalid', reason: 'requirement', operation: 'requirement-verify' });
      expect((error as Error).message).toMatch(/^Login requirement AposTotp: /);
    }
    const throttled = await apos.login({ username, password: USER_PASSWORD, requirements: { AposTotp: answer } }).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(RateLimitedError);
    expect(throttled).toMatchObject({ status: 400, reason: 'throttled' });
    await new Promise((resolve) => setTimeout(resolve, LOCKOUT_MS + 1000));
    expect(await apos.login({ username, password: USER_PASSWORD, requirements: { AposTotp: answer } })).toMatchObject({ signedIn: true });
    expect(app.secret).toBeDefined();
    await apos.logout();
  });

  it('reports an expired login step, and a login that leaves the requirement unanswered', async () => {
    const username = 'totp-expire';
    const { answer } = authenticator();
    const slow = async (props: { token?: string }) => {
      const value = await answer(props);
      await new Promise((resolve) => setTimeout(resolve, INCOMPLETE_LIFETIME_MS + 1000));
      return value;
    };
    const apos = client('cookie');
    const expired = await apos.login({ username, password: USER_PASSWORD, requirements: { AposTotp: slow } }).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(NotAuthenticatedError);
    expect(expired).toMatchObject({ status: 404, code: 'notfound', reason: 'requirement-expired' });
    expect(await apos.session()).toMatchObject({ signedIn: false });

    const pending = await apos.login({ username, password: USER_PASSWORD }).catch((e: unknown) => e);
    expect(pending).toBeInstanceOf(NotAuthenticatedError);
    expect(pending).toMatchObject({ reason: 'requirements-pending' });
    const failing = await apos.login({ username, password: USER_PASSWORD, requirements: { AposTotp: () => { throw new ApiError('app closed', { platform: 'apostrophe', operation: 'test' }); } } }).catch((e: unknown) => e);
    expect(failing).toBeInstanceOf(ApiError);
  }, 60_000);

  it('keeps the codes and tokens out of errors', async () => {
    const apos = client('bearer');
    const error = await apos.login({ username: 'totp-throttle', password: USER_PASSWORD, requirements: { AposTotp: () => '123456' } }).catch((e: unknown) => e);
    const sent = wire.exchanges.filter((e) => e.request.url.endsWith('/requirement-verify')).at(-1)!;
    const { incompleteToken } = (await sent.request.clone().json()) as { incompleteToken: string };
    const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`;
    expect(text).not.toContain('123456');
    expect(text).not.toContain(incompleteToken);
  });
});
