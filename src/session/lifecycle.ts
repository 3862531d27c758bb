import { AuthwireError, NotAuthenticatedError, StoreError, type ErrorContext } from '../errors.js';
import { dropRefused, renew } from './fleet.js';
import { heldSession } from './held.js';
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
  /** Completes the handed-in credential before its first use (Lowcoder asks the server its cookie's name); must not use the session. */
  prepare?: ((initial: SessionState<U>) => Promise<SessionState<U>>) | undefined;
  /** Upper bound of one login: how long to wait for another client's. */
  loginMs: number;
}

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
  let byLogout = false;
  let epoch = 0;
  let recovery: { done: Promise<boolean>; abort: AbortController } | undefined;
  let failures = 0;
  let retryAt = 0;
  let lastFailure: unknown;

  const shared = sharedSession<U>(store, key, now);
  // A client given its credential keeps it.
  const held = heldSession(deps, shared, deps.initial ? undefined : taken);

  /** Another client changed the shared session: take its new one, or stop using an ended one. */
  function taken(stored: SessionState<U> | undefined): Promise<void> | undefined {
    if (stored) return held.adopt(stored, held.state ? 'refreshed' : 'signedIn');
    if (held.state && !recovery) return held.adopt(undefined, 'signedOut');
  }

  /**
   * The credential `usedId` was refused or has expired. Resolves true when a newer session exists
   * to replay with: one another request or client made, or one from re-login.
   */
  function recover(usedId: string | undefined, ctx: ErrorContext, budget: Budget): Promise<boolean> {
    if (!recovery) {
      if (held.state && held.state.id !== usedId) return Promise.resolve(true);
      const started = epoch;
      const abort = new AbortController();
      const done = (async () => {
        // A client given its credential never takes over a stored session (nor an API key a password one).
        const own = !deps.initial;
        const taken = own && (await shared.newer(usedId, ctx));
        if (epoch !== started) return false;
        if (taken) {
          await held.adopt(taken, 'refreshed');
          return true;
        }
        const dropping = held.state;
        if (dropping) {
          if (own) await dropRefused(shared, dropping.id, ctx);
          if (epoch !== started) return false;
          await held.adopt(undefined, 'expired');
          held.ended = 'expired';
        }
        if (!deps.relogin || byLogout || deps.initial?.mode === 'apiKey') return false;
        if (now() < retryAt)
          throw new NotAuthenticatedError('Signing in again failed moments ago; waiting before the next try.', {
            ...ctx,
            reason: 'relogin-failed',
            cause: lastFailure,
          });
        try {
          const { signal } = abort;
          await renew(shared, now, {
            usedId,
            ctx,
            signal,
            waitMs: deps.loginMs * 2,
            stale: () => epoch !== started,
            login: () => deps.relogin!({ timeout: budget.timeout, signal }),
            commit: async (fresh) => void (await held.commit(fresh, ctx, 'refreshed', () => epoch !== started)),
            take: (stored) => held.adopt(stored, 'refreshed'),
          });
          failures = 0;
        } catch (error) {
          if (epoch !== started) return false;
          lastFailure = error;
          retryAt = now() + cooldownMs(++failures);
          throw new NotAuthenticatedError('Session expired; signing in again failed.', { ...ctx, reason: 'relogin-failed', cause: error });
        }
        return epoch === started && !!held.state;
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
      await held.load(ctx);
      return held.state;
    },
    /** The session to send now: adopts a stored one when none is held, and renews an expired one. */
    async current(ctx: ErrorContext, budget: Budget) {
      await held.load(ctx, budget);
      if (!held.state && !byLogout && !deps.initial && !store.watch) await held.adopt(await shared.newer(undefined, ctx), 'signedIn');
      if (held.state && isExpired(held.state, now())) await recover(held.state.id, ctx, budget);
      return held.state && !isExpired(held.state, now()) ? held.state : undefined;
    },
    recover,
    /** The session held now, or the credential handed in, without loading or preparing anything (for scrubbing errors). */
    peek: () => held.state ?? deps.initial,
    /** Why no session is held: it expired (or was refused) and could not be renewed, or `logout()` ended it. */
    get ended() {
      return held.ended;
    },
    /** A session from an explicit `login()`: replaces anything in flight. */
    async signIn(run: () => Promise<SessionState<U>>, ctx: ErrorContext) {
      newEpoch();
      const started = epoch;
      const next = await run();
      if (!(await held.commit(next, ctx, 'signedIn', () => epoch !== started)))
        throw new NotAuthenticatedError('A logout or another login ended this login.', { ...ctx, reason: 'logged-out' });
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
      if (held.state?.id !== next.id) return;
      if (shared.shared && (await shared.read(ctx))?.id !== next.id) return;
      if (held.state?.id === next.id) await held.commit(next, ctx);
    },
    /**
     * Ends the session: `revoke` gets the credential held (it must not recover), then the local
     * session and the shared store are cleared whatever happened. Never throws.
     */
    async signOut(revoke: (used: SessionState<U> | undefined) => Promise<void>, ctx: ErrorContext): Promise<AuthwireError | undefined> {
      newEpoch();
      byLogout = true;
      held.ended = 'logged-out';
      let failure: AuthwireError | undefined;
      const note = (error: unknown) => {
        failure ??= error instanceof AuthwireError ? error : new StoreError('Logout failed.', { ...ctx, cause: error });
      };
      const used = await held.load(ctx).then(
        () => held.state,
        (error: unknown) => void note(error),
      );
      await revoke(used).catch(note);
      const had = !!(used ?? held.state);
      held.forget();
      await deps.restore?.(undefined).catch(note);
      await held.commit(undefined, ctx).catch(note);
      if (had) deps.emit('signedOut', undefined);
      return failure;
    },
  };
}

export type Lifecycle<U> = ReturnType<typeof createLifecycle<U>>;
