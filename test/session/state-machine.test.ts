// The session state machine on its own: a fake re-login, a memory store, a clock under test control.
import { describe, expect, it } from 'vitest';
import { NotAuthenticatedError, StoreError, type ErrorContext } from '../../src/errors.js';
import { createLifecycle, type LifecycleDeps } from '../../src/session/lifecycle.js';
import { isExpired, newSessionId, type SessionState } from '../../src/session/state.js';
import { memoryStore, type SessionStore } from '../../src/session/store.js';
import type { AuthEvent } from '../../src/types.js';

const ctx: ErrorContext = { platform: 'coco', operation: 'test' };
const budget = { timeout: 1000 };
const session = (secret: string, extra: Partial<SessionState<string>> = {}): SessionState<string> => ({
  id: newSessionId(),
  mode: 'bearer',
  secret,
  ...extra,
});

function machine(overrides: Partial<LifecycleDeps<string>> = {}) {
  const events: AuthEvent[] = [];
  let clock = 1_000;
  let logins = 0;
  const store = overrides.store ?? memoryStore();
  const life = createLifecycle<string>({
    store,
    key: 'k',
    now: () => clock,
    emit: (event) => events.push(event),
    loginMs: 1_000,
    relogin: async () => session(`fresh-${++logins}`),
    ...overrides,
  });
  return { life, events, store, tick: (ms: number) => (clock += ms), logins: () => logins };
}

describe('expiry boundary', () => {
  it('is expired from its expiresAt millisecond on, not before', () => {
    expect(isExpired({ expiresAt: 100 }, 99)).toBe(false);
    expect(isExpired({ expiresAt: 100 }, 100)).toBe(true);
    expect(isExpired({}, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe('signed in → recovering → signed in', () => {
  it('renews an expired session before handing it out, once for concurrent callers', async () => {
    const { life, events, tick, logins } = machine();
    await life.signIn(async () => session('first', { expiresAt: 2_000 }), ctx);
    tick(1_000);
    const [a, b] = await Promise.all([life.current(ctx, budget), life.current(ctx, budget)]);
    expect(a?.secret).toBe('fresh-1');
    expect(b?.secret).toBe('fresh-1');
    expect(logins()).toBe(1);
    expect(events).toEqual(['signedIn', 'expired', 'refreshed']);
  });

  it('answers true at once when the refused credential was already replaced', async () => {
    const { life, logins } = machine();
    const first = await life.signIn(async () => session('first'), ctx);
    expect(await life.recover(first.id, ctx, budget)).toBe(true);
    expect(await life.recover(first.id, ctx, budget)).toBe(true);
    expect(logins()).toBe(1);
  });

  it('without re-login: drops the session, says why, and answers false', async () => {
    const { life, events } = machine({ relogin: undefined });
    const first = await life.signIn(async () => session('first'), ctx);
    expect(await life.recover(first.id, ctx, budget)).toBe(false);
    expect(await life.get(ctx)).toBeUndefined();
    expect(life.ended).toBe('expired');
    expect(events).toEqual(['signedIn', 'expired']);
  });

  it('never replaces a credential handed in by the user with a stored one, nor an API key with a login', async () => {
    const store = memoryStore();
    await store.set('k', JSON.stringify(session('stored')));
    const { life, logins } = machine({ store, initial: { id: 'given', mode: 'apiKey', secret: 'key' } });
    expect((await life.current(ctx, budget))?.secret).toBe('key');
    expect(await life.recover('given', ctx, budget)).toBe(false);
    expect(logins()).toBe(0);
  });
});

describe('signing out', () => {
  it('wins over a recovery in flight: it never commits, and the store stays empty', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { life, store } = machine({ relogin: async () => (await gate, session('late')) });
    const first = await life.signIn(async () => session('first'), ctx);
    const recovering = life.recover(first.id, ctx, budget);
    expect(await life.signOut(async () => undefined, ctx)).toBeUndefined();
    release();
    expect(await recovering).toBe(false);
    expect(await life.get(ctx)).toBeUndefined();
    expect(await store.get('k')).toBeUndefined();
    expect(life.ended).toBe('logged-out');
  });

  it('stops automatic re-login until the next signIn', async () => {
    const { life, logins } = machine();
    await life.signIn(async () => session('first'), ctx);
    await life.signOut(async () => undefined, ctx);
    expect(await life.recover(undefined, ctx, budget)).toBe(false);
    expect(logins()).toBe(0);
    await life.signIn(async () => session('second'), ctx);
    expect(await life.recover((await life.get(ctx))!.id, ctx, budget)).toBe(true);
    expect(logins()).toBe(1);
  });

  it('never throws: a failing revoke and a failing store become the result', async () => {
    const store: SessionStore = { ...memoryStore(), delete: () => Promise.reject(new Error('down')) };
    const { life } = machine({ store });
    await life.signIn(async () => session('first'), ctx);
    const failure = await life.signOut(async () => Promise.reject(new NotAuthenticatedError('no', ctx)), ctx);
    expect(failure).toBeInstanceOf(NotAuthenticatedError);
    expect(await life.get(ctx)).toBeUndefined();
  });
});

describe('failures are not remembered', () => {
  it('a failed re-login pauses 1 s, then 2 s, and is tried again after', async () => {
    let fail = 2;
    let tries = 0;
    const { life, tick } = machine({
      relogin: async () => {
        tries++;
        if (fail-- > 0) throw new Error('login route down');
        return session('ok');
      },
    });
    await expect(life.recover(undefined, ctx, budget)).rejects.toMatchObject({ reason: 'relogin-failed' });
    await expect(life.recover(undefined, ctx, budget)).rejects.toMatchObject({ reason: 'relogin-failed' });
    expect(tries).toBe(1);
    tick(1_000);
    await expect(life.recover(undefined, ctx, budget)).rejects.toMatchObject({ reason: 'relogin-failed' });
    expect(tries).toBe(2);
    tick(1_999);
    await expect(life.recover(undefined, ctx, budget)).rejects.toMatchObject({ reason: 'relogin-failed' });
    expect(tries).toBe(2);
    tick(1);
    expect(await life.recover(undefined, ctx, budget)).toBe(true);
    expect(tries).toBe(3);
  });

  it('a failed store read is a StoreError, and the next call reads again', async () => {
    let fail = true;
    const inner = memoryStore();
    await inner.set('k', JSON.stringify(session('stored')));
    const store: SessionStore = {
      ...inner,
      get: (key) => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('ECONNRESET'));
        }
        return inner.get(key);
      },
    };
    const { life } = machine({ store });
    await expect(life.get(ctx)).rejects.toBeInstanceOf(StoreError);
    expect((await life.get(ctx))?.secret).toBe('stored');
  });

  it('a commit that cannot be written leaves the state as it was, with no event', async () => {
    const store: SessionStore = { ...memoryStore(), set: () => Promise.reject(new Error('read-only')) };
    const { life, events } = machine({ store });
    await expect(life.signIn(async () => session('new'), ctx)).rejects.toMatchObject({ name: 'StoreError', reason: 'write' });
    expect(await life.get(ctx)).toBeUndefined();
    expect(events).toEqual([]);
  });
});

describe('clients sharing a store', () => {
  it('only the lock holder logs in; the other waits for its session and adopts it', async () => {
    const values = new Map<string, string>();
    const listeners = new Set<() => void>();
    let holder: string | undefined;
    const store: SessionStore = {
      get: (key) => values.get(key),
      set: (key, value) => {
        values.set(key, value);
        listeners.forEach((listener) => listener());
      },
      delete: (key) => {
        values.delete(key);
        listeners.forEach((listener) => listener());
      },
      tryLock: async (key) => {
        if (holder) return undefined;
        holder = key;
        return async () => void (holder = undefined);
      },
      watch: (_key, listener) => (listeners.add(listener), () => void listeners.delete(listener)),
    };
    let logins = 0;
    const relogin = async () => {
      logins++;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return session(`fleet-${logins}`);
    };
    const one = machine({ store, relogin });
    const two = machine({ store, relogin });
    const [a, b] = await Promise.all([one.life.recover(undefined, ctx, budget), two.life.recover(undefined, ctx, budget)]);
    expect([a, b]).toEqual([true, true]);
    expect(logins).toBe(1);
    expect((await one.life.get(ctx))?.secret).toBe('fleet-1');
    expect((await two.life.get(ctx))?.secret).toBe('fleet-1');
  });
});
