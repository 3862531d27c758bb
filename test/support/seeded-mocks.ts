// The three platform mocks as the secret tests seed them: one user each with the test's password,
// API keys under the test's recognisable values, and every credential the mock has issued so far,
// for the tests to look for. Shared by the leak scan (in-process fetch) and the hostile worlds (raw
// loopback servers), whose servers echo those credentials back.
import { mockApostrophe, mockCoco, mockLowcoder } from '../../src/mocks/index.js';

/** Who signs in on each platform (the password is the test's). */
export const LOGIN_NAMES = {
  lowcoder: { email: 'ada@example.com' },
  apostrophe: { username: 'admin' },
  coco: { email: 'admin@example.com' },
} as const;

export function seededLowcoder(password: string) {
  const mock = mockLowcoder({ users: [{ ...LOGIN_NAMES.lowcoder, password, name: 'Ada' }] });
  return {
    mock,
    /** Session ids and API keys. */
    issued: () => [...mock.state.sessions.keys(), ...[...mock.state.users.values()].flatMap((u) => [...u.keys.values()].map((k) => k.token))],
  };
}

/** `apiKeys` are admin keys; `allowedAttempts` failed logins lock the account. */
export function seededApostrophe(password: string, apiKeys: string[], allowedAttempts: number) {
  const mock = mockApostrophe({
    users: [{ ...LOGIN_NAMES.apostrophe, password, email: 'admin@example.com' }],
    apiKeys: Object.fromEntries(apiKeys.map((key) => [key, { role: 'admin' }])),
    throttle: { allowedAttempts, perMinutes: 1, lockoutMinutes: 1 },
  });
  return {
    mock,
    /** Bearer tokens. */
    issued: () => [...mock.state.tokens.keys()],
    /**
     * Session ids, each only a part of the signed `apos.sid` cookie. The leak scan looks for them in
     * what the SDK hands out; the hostile worlds leave them out of what servers reflect, since the
     * SDK cannot tell a part of a cookie from other text.
     */
    sessionIds: () => [...mock.state.sessions.keys()],
  };
}

/** `apiKey` is an API token the user created earlier. */
export function seededCoco(password: string, apiKey: string) {
  const mock = mockCoco({ users: [{ ...LOGIN_NAMES.coco, password, name: 'admin', roles: ['admin'] }] });
  const userId = [...mock.state.users.keys()][0]!;
  mock.state.tokens.set(apiKey, {
    id: 'seeded',
    token: apiKey,
    userId,
    name: 'seeded',
    description: '',
    permissions: ['coco#search/search'],
    expire_in: 0,
    created: '',
    updated: '',
  });
  return {
    mock,
    /** Sessions (ids and the JWTs they hold) and API tokens. */
    issued: () => [...mock.state.sessions.keys(), ...mock.state.sessions.values(), ...mock.state.tokens.keys()],
  };
}
