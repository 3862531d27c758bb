// Multi-step (2FA) login against the Apostrophe mock with login-totp: what the SDK sends, the
// session it makes, and the typed error of every refusal (the real-server tier runs the same flow
// against the real plugin).
import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { mockApostrophe } from '../../src/mocks/index.js';
import { ApiError, InvalidCredentialsError, NotAuthenticatedError, RateLimitedError, apostrophe, type AposTotpProps } from '../../src/node.js';
import { recording } from '../support/fetch.js';
import { useMsw } from '../support/msw.js';

const server = useMsw();
const ADMIN = { username: 'admin', password: 's3cret-Passw0rd' };
const STEPS = '/api/v1/@apostrophecms/login/';

function setup() {
  const mock = mockApostrophe({ totp: true });
  server.use(...mock.handlers);
  const app = { secret: '' };
  const answer = ({ token }: AposTotpProps) => {
    if (token) app.secret = token;
    return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(app.secret) }).generate({ timestamp: mock.clock.now() });
  };
  return { mock, app, answer };
}

describe('Apostrophe multi-step login', () => {
  it('enrols, then logs in again, in bearer mode: the verified token is the bearer, for an hour', async () => {
    const { mock, answer } = setup();
    const { sent, fetch } = recording();
    const client = apostrophe({ baseUrl: mock.baseUrl, fetch, now: mock.clock.now });
    const session = await client.login({ ...ADMIN, requirements: { AposTotp: answer, WeakCaptcha: 'xyz' } });
    expect(session).toMatchObject({ mode: 'bearer', signedIn: true, user: { username: 'admin' } });
    expect(session.expiresAt?.getTime()).toBe(mock.clock.now() + 3600_000);
    // Plain values go with the password; answers never leave the process.
    expect(await sent[0]!.json()).toEqual({ ...ADMIN, session: false, requirements: { WeakCaptcha: 'xyz' } });
    const steps = sent.map((r) => `${r.method} ${new URL(r.url).pathname.replace(STEPS, '')}`);
    expect(steps).toEqual(['POST login', 'POST requirement-props', 'GET whoami', 'POST requirement-props', 'POST requirement-verify', 'GET whoami']);
    const token = (await client.credential())!;
    expect(sent.at(-1)!.headers.get('authorization')).toBe(`Bearer ${token}`);
    expect(mock.state.tokens.get(token)?.pending).toEqual([]);
    expect(await client.logout()).toEqual({ serverRevoked: true });
    expect(mock.state.tokens.has(token)).toBe(false);

    expect(await client.login({ ...ADMIN, requirements: { AposTotp: answer } })).toMatchObject({ signedIn: true });
  });

  it('finishes a cookie-mode login with the finalising call', async () => {
    const { mock, answer } = setup();
    const { sent, fetch } = recording();
    const client = apostrophe({ baseUrl: mock.baseUrl, fetch, mode: 'cookie' });
    expect(await client.login({ ...ADMIN, requirements: { AposTotp: answer } })).toMatchObject({ mode: 'cookie', signedIn: true, user: { username: 'admin' } });
    const finish = sent.filter((r) => r.url.endsWith('/login')).at(-1)!;
    expect(await finish.json()).toEqual({ incompleteToken: expect.any(String), session: true });
    expect(mock.state.sessions.size).toBe(1);
    expect(await client.profile()).toMatchObject({ username: 'admin' });
  });

  it('turns each refusal into a typed error that holds neither the code nor the token', async () => {
    const { mock, answer } = setup();
    const client = apostrophe({ baseUrl: mock.baseUrl, maxRetries: 0 });
    await client.login({ ...ADMIN, requirements: { AposTotp: answer } });
    await client.logout();
    const wrong = await client.login({ ...ADMIN, requirements: { AposTotp: () => '000000' } }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(InvalidCredentialsError);
    expect(wrong).toMatchObject({ status: 400, code: 'invalid', reason: 'requirement', operation: 'requirement-verify' });
    expect(JSON.stringify(wrong) + String((wrong as Error).stack)).not.toContain('000000');
    for (let i = 0; i < 2; i++) await client.login({ ...ADMIN, requirements: { AposTotp: () => '000000' } }).catch(() => undefined);
    expect(await client.login({ ...ADMIN, requirements: { AposTotp: answer } }).catch((e: unknown) => e)).toBeInstanceOf(RateLimitedError);
    mock.clock.advance(61_000);

    const late = await client
      .login({ ...ADMIN, requirements: { AposTotp: (props) => (mock.clock.advance(3600_001), answer(props)) } })
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(NotAuthenticatedError);
    expect(late).toMatchObject({ status: 404, reason: 'requirement-expired' });

    expect(await client.login(ADMIN).catch((e: unknown) => e)).toMatchObject({ reason: 'requirements-pending' });
    expect(await client.session()).toMatchObject({ signedIn: false });
  });

  it('reports login-totp’s 422 as an ApiError, and an unanswered requirement in cookie mode as pending', async () => {
    const { mock, answer } = setup();
    const unprocessable = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (request.url.endsWith('/requirement-verify'))
        return Response.json({ name: 'unprocessable', data: { requirement: 'AposTotp' }, message: 'An error occurred while updating your account.' }, { status: 422 });
      return globalThis.fetch(request);
    }) as typeof fetch;
    const error = await apostrophe({ baseUrl: mock.baseUrl, fetch: unprocessable }).login({ ...ADMIN, requirements: { AposTotp: answer } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: 'unprocessable', reason: 'requirement' });

    // An answer for a requirement the site does not have leaves AposTotp pending: the finalising call says so.
    const cookie = apostrophe({ baseUrl: mock.baseUrl, mode: 'cookie' });
    const pending = await cookie.login({ ...ADMIN, requirements: { Other: () => 'x' } }).catch((e: unknown) => e);
    expect(pending).toMatchObject({ reason: 'requirement-expired', status: 404 });
    expect(await cookie.session()).toMatchObject({ signedIn: false });
  });
});
