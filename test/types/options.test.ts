// Configuration mistakes that cannot be expressed: each `@ts-expect-error` is checked by `npm run
// typecheck` (it fails if the line compiles), and the same options from JavaScript throw a
// ConfigurationError naming the conflict.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ConfigurationError,
  apostrophe,
  coco,
  isNotAuthenticatedError,
  lowcoder,
  type ApostropheUser,
  type CocoUser,
  type LowcoderUser,
  type NotAuthenticatedError,
  type NotAuthenticatedReason,
  type SessionInfo,
} from '../../src/node.js';

const baseUrl = 'https://example.test';
const conflicts: [string, () => unknown, RegExp][] = [
  // @ts-expect-error one client holds one credential
  ['coco apiKey + token', () => coco({ baseUrl, apiKey: 'k-123456', token: 't-123456' }), /apiKey.*token/],
  // @ts-expect-error an API key is not a cookie session
  ['apostrophe apiKey + cookie mode', () => apostrophe({ baseUrl, apiKey: 'k-123456', mode: 'cookie' }), /apiKey.*mode/],
  // @ts-expect-error one client holds one credential
  ['lowcoder apiKey + sessionCookie', () => lowcoder({ baseUrl, apiKey: 'k-123456', sessionCookie: 's-123456' }), /apiKey.*sessionCookie/],
  // @ts-expect-error an API-key client never turns into a password session
  ['coco apiKey + getCredentials', () => coco({ baseUrl, apiKey: 'k-123456', getCredentials: () => ({ email: 'a', password: 'b' }) }), /apiKey.*getCredentials/],
  // @ts-expect-error a bearer token is not a cookie session
  ['apostrophe token + cookie mode', () => apostrophe({ baseUrl, token: 't-123456', mode: 'cookie' }), /token.*cookie/],
];

describe('conflicting options', () => {
  it.each(conflicts)('%s: a ConfigurationError naming both', (_name, make, names) => {
    const error = (() => {
      try {
        make();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(names);
  });
});

describe('types of results and reasons', () => {
  it('names its users and types reasons as unions', () => {
    expectTypeOf<Awaited<ReturnType<ReturnType<typeof coco>['profile']>>>().toEqualTypeOf<CocoUser>();
    expectTypeOf<Awaited<ReturnType<ReturnType<typeof lowcoder>['profile']>>>().toEqualTypeOf<LowcoderUser>();
    expectTypeOf<Awaited<ReturnType<ReturnType<typeof apostrophe>['login']>>>().toEqualTypeOf<SessionInfo<ApostropheUser>>();
    expectTypeOf<NotAuthenticatedError['reason']>().toEqualTypeOf<NotAuthenticatedReason | undefined>();
    const error: unknown = undefined;
    if (isNotAuthenticatedError(error)) {
      // @ts-expect-error a misspelt reason does not compile
      void (error.reason === 'expierd');
      expectTypeOf(error).toEqualTypeOf<NotAuthenticatedError>();
    }
    // LowcoderUser keeps no OAuth token.
    expectTypeOf<NonNullable<LowcoderUser['userAuth']>>().toEqualTypeOf<{ provider: string }>();
  });
});
