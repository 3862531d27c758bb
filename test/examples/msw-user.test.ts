// Testing your app with authwire/msw — written as a user of the published package would write it:
// it imports `authwire` and `authwire/msw` by name (the package resolves its own name to the build
// in dist/), runs the mocks in msw's Node server and tests the app's own error handling.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthwireError, InvalidCredentialsError, NetworkError, TimeoutError, lowcoder } from 'authwire';
import { mockLowcoder } from 'authwire/msw';
import { checkContract, trackFaults } from '../support/msw.js';

// ── The app under test ────────────────────────────────────────────────────────────────────────
/** Signs a user in and greets them; every failure becomes a message the UI can show. */
export async function greet(baseUrl: string, email: string, password: string): Promise<string> {
  const client = lowcoder({ baseUrl, maxRetries: 0 });
  try {
    const session = await client.login({ email, password });
    return `Hello, ${session.user?.name ?? email}!`;
  } catch (error) {
    if (error instanceof InvalidCredentialsError) return 'Wrong email or password.';
    if (error instanceof NetworkError || error instanceof TimeoutError) return 'Lowcoder is unreachable. Try again later.';
    if (error instanceof AuthwireError) return `Lowcoder is having trouble (${error.name}, HTTP ${error.status ?? '-'}).`;
    throw error;
  }
}

// ── The test ──────────────────────────────────────────────────────────────────────────────────
const mock = mockLowcoder();
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => mock.faults.clear());
afterAll(() => server.close());

describe('greet', () => {
  it('greets a signed-in user by name', async () => {
    expect(await greet(mock.baseUrl, 'ada@example.com', 's3cret-Passw0rd')).toBe('Hello, Ada!');
  });

  it('tells the user when the password is wrong', async () => {
    expect(await greet(mock.baseUrl, 'ada@example.com', 'wrong')).toBe('Wrong email or password.');
  });

  it('survives Lowcoder answering 503', async () => {
    mock.faults.inject({ path: '/api/auth/form/login', status: 503 });
    expect(await greet(mock.baseUrl, 'ada@example.com', 's3cret-Passw0rd')).toBe('Lowcoder is having trouble (ApiError, HTTP 503).');
  });

  it('survives a proxy answering with an HTML error page', async () => {
    mock.faults.inject({ path: '/api/auth/form/login', body: 'html' });
    expect(await greet(mock.baseUrl, 'ada@example.com', 's3cret-Passw0rd')).toBe('Lowcoder is having trouble (InvalidResponseError, HTTP 200).');
  });

  it('survives a dropped connection', async () => {
    mock.faults.inject({ networkError: true });
    expect(await greet(mock.baseUrl, 'ada@example.com', 's3cret-Passw0rd')).toBe('Lowcoder is unreachable. Try again later.');
  });

  it('survives a slow server', async () => {
    mock.faults.inject({ path: '/api/auth/form/login', latency: 200 });
    const client = lowcoder({ baseUrl: mock.baseUrl, timeout: 50, maxRetries: 0 });
    await expect(client.login({ email: 'ada@example.com', password: 's3cret-Passw0rd' })).rejects.toBeInstanceOf(TimeoutError);
  });
});

// ── authwire's own suite, not part of the example: every answer the mock gave that no injected
// fault shaped must match openapi.yaml.
trackFaults(mock);
const contract = checkContract(server);
afterEach(async () => expect(await contract.settle()).toEqual([]));
afterAll(() => expect(contract.validated).toBeGreaterThan(0));
