// src/session/expiry.ts: when a credential stops working, read from a JWT, Coco's `expire_in` and
// `Set-Cookie` lines. Servers send anything, so every expiry handed out must fit in a Date.
import { describe, expect, it } from 'vitest';
import { expireInToEpochMs, jwtExpiry, setCookieExpiry } from '../../src/session/expiry.js';

const NOW = Date.UTC(2026, 11, 2);
const jwt = (payload: unknown) => ['e30', btoa(JSON.stringify(payload)).replace(/=+$/, ''), 'c2ln'].join('.');
/** An expiry a `Date` can show: what `session.expiresAt` becomes. */
const usable = (at: number | undefined) => at === undefined || !Number.isNaN(new Date(at).getTime());

describe('jwtExpiry', () => {
  it('reads `exp` in seconds as epoch milliseconds', () => {
    expect(jwtExpiry(jwt({ exp: 1_800_000_000 }))).toBe(1_800_000_000_000);
  });

  it('is undefined for opaque tokens, JWTs without a numeric exp, and payloads that are not JSON', () => {
    for (const token of ['opaque-token', jwt({}), jwt({ exp: '1800000000' }), 'a.%%%.b', 'a..b']) expect(jwtExpiry(token), token).toBeUndefined();
  });

  it('is undefined for an exp beyond what a Date can hold', () => {
    expect(jwtExpiry(jwt({ exp: 1e15 }))).toBeUndefined();
    expect(usable(jwtExpiry(jwt({ exp: 8.64e12 })))).toBe(true);
  });
});

describe('expireInToEpochMs', () => {
  it('reads Unix seconds as absolute, smaller values as a duration, zero or less as never', () => {
    expect(expireInToEpochMs(1_800_000_000, NOW)).toBe(1_800_000_000_000);
    expect(expireInToEpochMs(3600, NOW)).toBe(NOW + 3_600_000);
    expect(expireInToEpochMs(0, NOW)).toBeUndefined();
    expect(expireInToEpochMs(-5, NOW)).toBeUndefined();
    expect(expireInToEpochMs(1e13, NOW)).toBeUndefined();
  });
});

describe('setCookieExpiry', () => {
  it('takes the earliest future expiry, Max-Age over Expires', () => {
    const lines = [`a=1; Max-Age=60; Expires=${new Date(NOW + 3_600_000).toUTCString()}`, `b=2; Expires=${new Date(NOW + 120_000).toUTCString()}`];
    expect(setCookieExpiry(lines, NOW)).toBe(NOW + 60_000);
  });

  it('ignores cookies already expired, or without an expiry', () => {
    expect(setCookieExpiry(['a=1; Max-Age=0', 'b=2; Max-Age=-1', 'c=3; Path=/', 'd=4; Expires=nonsense'], NOW)).toBeUndefined();
  });

  it('ignores a Max-Age beyond what a Date can hold', () => {
    const at = setCookieExpiry(['a=1; Max-Age=99999999999999'], NOW);
    expect(usable(at)).toBe(true);
    expect(at).toBeUndefined();
  });
});
