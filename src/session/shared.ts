import { AuthwireError, StoreError, type ErrorContext } from '../errors.js';
import type { SessionStore } from './store.js';
import { decodeState, isExpired, type SessionState } from './state.js';

/** How often a client waiting for another's login looks at the store when notifications are missed. */
const POLL_MS = 250;

/**
 * One session key of a store, with every failure a typed `StoreError` and the fleet primitives
 * (lock, change notification) used the same way by every client sharing it.
 */
export function sharedSession<U>(store: SessionStore, key: string, now: () => number) {
  const failed = (reason: 'read' | 'write' | 'lock', cause: unknown, ctx: ErrorContext) =>
    cause instanceof AuthwireError ? cause : new StoreError(`The session store failed to ${reason}.`, { ...ctx, reason, cause });

  async function read(ctx: ErrorContext) {
    try {
      return decodeState<U>(await store.get(key));
    } catch (error) {
      throw failed('read', error, ctx);
    }
  }

  return {
    read,
    async write(next: SessionState<U>, ctx: ErrorContext) {
      let value: string;
      try {
        value = JSON.stringify(next);
      } catch (error) {
        throw new StoreError('The session cannot be serialised.', { ...ctx, reason: 'write', cause: error });
      }
      try {
        await store.set(key, value, { expiresAt: next.expiresAt });
      } catch (error) {
        throw failed('write', error, ctx);
      }
    },
    async erase(ctx: ErrorContext) {
      try {
        await store.delete(key);
      } catch (error) {
        throw failed('write', error, ctx);
      }
    },
    /** A stored session other than `usedId` and still valid, if any. */
    async newer(usedId: string | undefined, ctx: ErrorContext) {
      const stored = await read(ctx);
      return stored && stored.id !== usedId && !isExpired(stored, now()) ? stored : undefined;
    },
    /** Whether the store coordinates clients at all. */
    shared: !!store.tryLock,
    /** The fleet-wide login lock: its release function, or undefined when another client holds it. */
    async lock(ttlMs: number, ctx: ErrorContext) {
      try {
        return await store.tryLock!(`${key}:lock`, ttlMs);
      } catch (error) {
        throw failed('lock', error, ctx);
      }
    },
    /** Calls `listener` when another client may have changed the session. */
    watch: (listener: () => void) => store.watch?.(key, listener),
    /** Resolves when the session may have changed: a notification, the next poll, or `signal` aborting. */
    changed(signal: AbortSignal | undefined) {
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          stop?.();
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, POLL_MS);
        const stop = store.watch?.(key, done);
        signal?.addEventListener('abort', done);
      });
    },
  };
}

export type SharedSession<U> = ReturnType<typeof sharedSession<U>>;
