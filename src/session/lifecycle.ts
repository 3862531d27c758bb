import { AuthwireError, NotAuthenticatedError, StoreError, type ErrorContext } from '../errors.js';
import { sharedSession } from './shared.js';
import type { AuthEvent } from '../types.js';
import { within, type Budget } from '../transport/within.js';
import type { SessionStore } from './store.js';
import { isExpired, type SessionState } from './state.js';

export interface LifecycleDeps<U> {
  store: SessionStore;
  key: string;
  now(): number;
  emit(event: AuthEvent, state: SessionState<U> | undefined): void;
  /** Logs in again with the user's credentials callback; resolves the new, uncommitted session. */
  relogin?: ((budget: Budget) => Promise<SessionState<U>>) | undefined;
  /** Brings outside state (the cookie jar) in line with a session taken over. */
  restore?(state: SessionState<U> | undefined): Promise<void>;
  /** A credential handed in by the user: used instead of the stored session, never replaced by a login of its own. */
  initial?: SessionState<U> | undefined;
  /** Upper bound of one login, for the fleet lock's lifetime. */
  loginMs: number;
}

/**
 * How long a crashed lock holder keeps the others waiting. Short, so their calls outlive it; a
 * store renews the lock while its holder lives (the Redis store does, Web Locks hold per tab).
 */
const LOCK_TTL_MS = 5_000;
/** Pause between failed automatic re-logins: 1 s, doubling to 30 s, so a dead login route is not hammered. */
const cooldownMs = (failures: number) => Math.min(1000 * 2 ** (failures - 1), 30_000);

/**
 * The session of one client as an explicit state machine:
 *
 * - `signedOut` (no credential; `byLogout` after an explicit `logout()`, which stops automatic
 *   re-login until the next `login()`), `signedIn` (a credential), and `recovering` (a refused or
 *   expired credential is being replaced; every refusal meanwhile joins it).
 * - `login()` and `logout()` start a new epoch: a recovery begun before cannot commit after them,
 *   and its login request is aborted.
 * - Commits are atomic: the store is written first, and only then does the client use the new session.
 * - Nothing failed is remembered except the re-login cooldown: a failed store read or re-login is
 *   tried again by the next call.
 */
export function createLifecycle<U>(deps: LifecycleDeps<U>) {
  const { store, key, now } = deps;
  let state: SessionState<U> | undefined;
  let loaded = false;
  let byLogout = false;
  /** Why the client holds no session, for the error of a call that then went without one. */
  let ended: 'expired' | 'logged-out' | undefined;
  let epoch = 0;
  let recovery: { done: Promise<boolean>; abort: AbortController } | undefined;
  let failures = 0;
  let retryAt = 0;
  let lastFailure: unknown;
  let unwatch: (() => void) | undefined;

  const shared = sharedSession<U>(store, key, now);

  async function adopt(next: SessionState<U> | undefined, event?: AuthEvent) {
    if (next?.id === state?.id) return;
    state = next;
    await deps.restore?.(next);
    if (event) deps.emit(event, next);
  }

  /** Another client changed the shared session: take its new one, or stop using an ended one. */
  function follow(ctx: ErrorContext) {
    unwatch ??= shared.watch(() => {
      if (deps.initial) return;
      shared.read(ctx).then(
        (stored) => {
          if (stored && !isExpired(stored, now())) return adopt(stored, state ? 'refreshed' : 'signedIn');
          if (state && !recovery) return adopt(undefined, 'signedOut');
        },
        () => undefined,
      );
    });
  }

  async function load(ctx: ErrorContext) {
    if (loaded) return;
    const stored = deps.initial ?? (await shared.read(ctx));
    if (!loaded) {
      loaded = true;
      follow(ctx);
      await adopt(stored);
    }
  }

  async function commit(next: SessionState<U> | undefined, ctx: ErrorContext, event?: AuthEvent) {
    await (next ? shared.write(next, ctx) : shared.erase(ctx));
    loaded = true;
    state = next;
    if (next) ended = undefined;
    if (event) deps.emit(event, next);
  }

  /** Logs in (or takes the session of whoever did) as the one client of those sharing the store. */
  async function renew(usedId: string | undefined, ctx: ErrorContext, budget: Budget, started: number) {
    for (const deadline = now() + deps.loginMs * 2; ; ) {
      const release = shared.shared ? await shared.lock(LOCK_TTL_MS, ctx) : undefined;
      if (release || !shared.shared)
        try {
          const taken = release && (await shared.newer(usedId, ctx));
          if (taken) return adopt(taken, 'refreshed');
          const fresh = await deps.relogin!(budget);
          if (epoch !== started) return;
          return await commit(fresh, ctx, 'refreshed');
        } finally {
          await release?.().catch(() => undefined);
        }
      // Another client is logging in: wait for its session (a notification, or the next look).
      await shared.changed(budget.signal);
      if (budget.signal?.aborted || epoch !== started) return;
      const taken = await shared.newer(usedId, ctx);
      if (taken) return adopt(taken, 'refreshed');
      if (now() > deadline) throw new NotAuthenticatedError('No session appeared while another client logged in.', { ...ctx, reason: 'relogin-failed' });
    }
  }

  /**
   * The credential `usedId` was refused or has expired. Resolves true when a newer session exists
   * to replay with: one another request or client made, or one from re-login.
   */
  function recover(usedId: string | undefined, ctx: ErrorContext, budget: Budget): Promise<boolean> {
    if (!recovery) {
      if (state && state.id !== usedId) return Promise.resolve(true);
      const started = epoch;
      const abort = new AbortController();
      const done = (async () => {
        // A client given its credential never takes over a stored session (nor an API key a password one).
        const own = !deps.initial;
        const taken = own && (await shared.newer(usedId, ctx));
        if (epoch !== started) return false;
        if (taken) {
          await adopt(taken, 'refreshed');
          return true;
        }
        const dropping = state;
        if (dropping) {
          // A plain store loses the refused copy too; in a coordinated one the lock holder replaces
          // it, since erasing it would read as a logout to every other client.
          if (own && !shared.shared && (await shared.read(ctx))?.id === dropping.id) await shared.erase(ctx);
          if (epoch !== started) return false;
          await adopt(undefined, 'expired');
          ended = 'expired';
        }
        if (!deps.relogin || byLogout || deps.initial?.mode === 'apiKey') return false;
        if (now() < retryAt)
          throw new NotAuthenticatedError('Signing in again failed moments ago; waiting before the next try.', {
            ...ctx,
            reason: 'relogin-failed',
            cause: lastFailure,
          });
        try {
          await renew(usedId, ctx, { timeout: budget.timeout, signal: abort.signal }, started);
          failures = 0;
        } catch (error) {
          if (epoch !== started) return false;
          lastFailure = error;
          retryAt = now() + cooldownMs(++failures);
          throw new NotAuthenticatedError('Session expired; signing in again failed.', { ...ctx, reason: 'relogin-failed', cause: error });
        }
        return epoch === started && !!state;
      })();
      const entry = { done, abort };
      recovery = entry;
      const clear = () => {
        if (recovery === entry) recovery = undefined;
      };
      done.then(clear, clear);
    }
    return within(recovery.done, budget, ctx);
  }

  /** Starts a new epoch: whatever recovery runs now can no longer commit, and its login is aborted. */
  function newEpoch() {
    epoch++;
    recovery?.abort.abort();
    recovery = undefined;
  }

  return {
    /** The session as last known, loading it from the store on first use (or after a failed read). */
    async get(ctx: ErrorContext) {
      await load(ctx);
      return state;
    },
    /** The session to send now: adopts a stored one when none is held, and renews an expired one. */
    async current(ctx: ErrorContext, budget: Budget) {
      await load(ctx);
      if (!state && !byLogout && !deps.initial && !store.watch) await adopt(await shared.newer(undefined, ctx), 'signedIn');
      if (state && isExpired(state, now())) await recover(state.id, ctx, budget);
      return state && !isExpired(state, now()) ? state : undefined;
    },
    recover,
    /** Why no session is held: it expired (or was refused) and could not be renewed, or `logout()` ended it. */
    get ended() {
      return ended;
    },
    /** A session from an explicit `login()`: replaces anything in flight. */
    async signIn(run: () => Promise<SessionState<U>>, ctx: ErrorContext) {
      newEpoch();
      const started = epoch;
      const next = await run();
      if (epoch !== started) throw new NotAuthenticatedError('A logout or another login ended this login.', { ...ctx, reason: 'logged-out' });
      await commit(next, ctx, 'signedIn');
      byLogout = false;
      failures = 0;
      retryAt = 0;
      return next;
    },
    /**
     * Changes that keep the credential (a rolled cookie, a refreshed user). Never writes back a
     * session the shared store no longer holds: another client's logout or new session stands.
     */
    async update(next: SessionState<U>, ctx: ErrorContext) {
      if (state?.id !== next.id) return;
      if (shared.shared && (await shared.read(ctx))?.id !== next.id) return;
      if (state?.id === next.id) await commit(next, ctx);
    },
    /**
     * Ends the session: `revoke` gets the credential held (it must not recover), then the local
     * session and the shared store are cleared whatever happened. Never throws.
     */
    async signOut(revoke: (held: SessionState<U> | undefined) => Promise<void>, ctx: ErrorContext): Promise<AuthwireError | undefined> {
      newEpoch();
      byLogout = true;
      ended = 'logged-out';
      let failure: AuthwireError | undefined;
      const note = (error: unknown) => {
        failure ??= error instanceof AuthwireError ? error : new StoreError('Logout failed.', { ...ctx, cause: error });
      };
      const held = await load(ctx).then(
        () => state,
        (error: unknown) => void note(error),
      );
      await revoke(held).catch(note);
      const had = !!(held ?? state);
      state = undefined;
      loaded = true;
      await deps.restore?.(undefined).catch(note);
      await commit(undefined, ctx).catch(note);
      if (had) deps.emit('signedOut', undefined);
      return failure;
    },
  };
}

export type Lifecycle<U> = ReturnType<typeof createLifecycle<U>>;
