import type { ErrorContext } from '../errors.js';
import { within, type Budget } from '../transport/within.js';
import type { AuthEvent } from '../types.js';
import { follow } from './fleet.js';
import type { LifecycleDeps } from './lifecycle.js';
import type { SharedSession } from './shared.js';
import type { SessionState } from './state.js';

/**
 * The session one client holds, in step with the store: the credential handed in, or else the stored
 * session, loaded on first use; a new session is stored before it is used, one another client stored
 * is used as it is. `take` hears of every change another client makes once the session is loaded.
 */
export function heldSession<U>(
  deps: Pick<LifecycleDeps<U>, 'emit' | 'restore' | 'initial' | 'prepare'>,
  shared: SharedSession<U>,
  take: ((stored: SessionState<U> | undefined) => unknown) | undefined,
) {
  let state: SessionState<U> | undefined;
  let loaded = false;
  let preparing: Promise<SessionState<U>> | undefined;

  /** The handed-in credential, prepared once; a failed preparation is tried again by the next call. */
  function initialState(initial: SessionState<U>) {
    if (!deps.prepare) return initial;
    preparing ??= deps.prepare(initial).catch((error: unknown) => {
      preparing = undefined;
      throw error;
    });
    return preparing;
  }

  const held = {
    get state() {
      return state;
    },
    /** Why the client holds no session, for the error of a call that then went without one. */
    ended: undefined as 'expired' | 'logged-out' | undefined,
    /** Uses `next` (or none), which is stored already; `event` tells of the change. */
    async adopt(next: SessionState<U> | undefined, event?: AuthEvent) {
      if (next?.id === state?.id) return;
      state = next;
      await deps.restore?.(next);
      if (event) deps.emit(event, next);
    },
    /** Loads the session on first use, or after a failed read; a caller waits no longer than its `budget`. */
    async load(ctx: ErrorContext, budget: Budget = {}) {
      if (loaded) return;
      const stored = deps.initial ? await within(Promise.resolve(initialState(deps.initial)), budget, ctx) : await shared.read(ctx);
      if (!loaded) {
        loaded = true;
        follow(shared, ctx, take);
        await held.adopt(stored);
      }
    },
    /**
     * Stores `next` (or erases the stored session), and only then uses it. False when `stale` is true
     * (a logout or another login came): that stands, and a write it overtook is taken back.
     */
    async commit(next: SessionState<U> | undefined, ctx: ErrorContext, event?: AuthEvent, stale?: () => boolean) {
      if (stale?.()) return false;
      await (next ? shared.write(next, ctx) : shared.erase(ctx));
      if (stale?.()) {
        if (next && (await shared.read(ctx))?.id === next.id) await shared.erase(ctx);
        return false;
      }
      // A new cookie session's cookies were gathered apart (see JarDriver.staged): they go into the jar now.
      if (event && next?.cookies) await deps.restore?.(next);
      loaded = true;
      state = next;
      if (next) held.ended = undefined;
      if (event) deps.emit(event, next);
      return true;
    },
    /** Drops the session here, loaded or not, without an event: a logout tells of its end itself. */
    forget() {
      state = undefined;
      loaded = true;
    },
  };
  return held;
}
