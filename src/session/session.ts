import { AuthwireError } from '../errors.js';
import type { AuthEvent } from './events.js';
import type { SessionStore } from './store.js';

/** How a credential travels: a cookie, `Authorization: Bearer`, or the platform's API-key header. */
export type AuthMode = 'cookie' | 'bearer' | 'apiKey';

/** What is kept per session. `id` changes whenever the credential does. */
export interface SessionState<U> {
  id: string;
  mode: AuthMode;
  /** Bearer token or API key. */
  secret?: string;
  /** Cookie jar contents (Node cookie mode), as `Set-Cookie` lines. */
  cookies?: string[];
  /** Epoch milliseconds. */
  expiresAt?: number;
  user?: U;
}

export interface SessionDeps<U> {
  store: SessionStore;
  key: string;
  now: () => number;
  emit(event: AuthEvent, state: SessionState<U> | undefined): void;
  /** Logs in again through the user's credentials callback; sets the session itself. */
  relogin?: (() => Promise<void>) | undefined;
  /** Brings outside state (cookies) in line with a session taken from the store. */
  restore?: ((state: SessionState<U>) => Promise<void>) | undefined;
  /** Drops outside state (cookies) when the session ends, so an ended session is never sent. */
  forget?: (() => Promise<void>) | undefined;
  /** A credential handed in by the user; used instead of the stored session. */
  initial?: SessionState<U> | undefined;
}

const MODES: readonly string[] = ['cookie', 'bearer', 'apiKey'];

function parse<U>(raw: string | null | undefined): SessionState<U> | undefined {
  try {
    const value = raw ? (JSON.parse(raw) as SessionState<U>) : undefined;
    return value && typeof value.id === 'string' && MODES.includes(value.mode) ? value : undefined;
  } catch {
    return undefined;
  }
}

export const newSessionId = () => Date.now().toString(36) + Math.random().toString(36).slice(2);

/** A crashed holder of the fleet-wide login lock frees it after this long (a live holder's lock is renewed). */
const LOCK_TTL_MS = 5_000;
/** A waiting client re-reads the store this often, in case a notification was missed. */
const POLL_MS = 500;
/** How long a client waits for another client's login: long enough for a crashed holder's lock to expire. */
const WAIT_MS = 30_000;

/**
 * The session of one client: loaded lazily from the store, persisted on change, expired before it
 * is sent, and replaced at most once per rejected credential — concurrent rejections of the same
 * credential share one recovery, and so one re-login. With a store that has `tryLock` and `watch`,
 * clients sharing it recover together (one login among them) and follow each other's logouts.
 */
export function createSession<U>(deps: SessionDeps<U>) {
  let state: SessionState<U> | undefined;
  let loading: Promise<void> | undefined;
  let recovery: { id: string | undefined; done: Promise<boolean>; pending: boolean } | undefined;
  /** Writes of this client in flight: a notification meanwhile may read the value they replace. */
  let writing = 0;
  /** Wakes the recovery waiting for another client's session. */
  let wake = () => {};
  const { store } = deps;
  const shared = store.tryLock && store.watch && !deps.initial;

  const read = async () => parse<U>(await store.get(deps.key));
  const adopt = async (next: SessionState<U> | undefined) => {
    state = next;
    if (next) await deps.restore?.(next);
  };
  const drop = async (event: AuthEvent) => {
    if (!state) return;
    state = undefined;
    await deps.forget?.();
    deps.emit(event, undefined);
  };
  /** A stored session that can replace the credential `usedId`: another one, not yet expired. */
  const replaces = (stored: SessionState<U> | undefined, usedId: string | undefined): stored is SessionState<U> =>
    !!stored && stored.id !== usedId && !(stored.expiresAt !== undefined && deps.now() >= stored.expiresAt);
  const busy = () => writing || recovery?.pending;

  /** Another client changed the shared session: follow it, so a logout elsewhere stops this client's credential at once. */
  async function changed() {
    wake();
    if (busy()) return;
    const stored = await read();
    if (busy() || stored?.id === state?.id) return;
    await (stored ? adopt(stored) : drop('signedOut'));
  }

  const load = () =>
    (loading ??= read().then(
      (stored) => {
        if (shared) store.watch!(deps.key, () => void changed().catch(() => {}));
        return adopt(deps.initial ?? stored);
      },
      (error: unknown) => {
        // A store that failed (Redis down) is asked again by the next call.
        loading = undefined;
        throw error;
      },
    ));

  async function set(next: SessionState<U> | undefined, event?: AuthEvent) {
    await load();
    state = next;
    writing++;
    try {
      if (next) await store.set(deps.key, JSON.stringify(next), { expiresAt: next.expiresAt });
      else await Promise.all([store.delete(deps.key), deps.forget?.()]);
    } finally {
      writing--;
    }
    if (event) deps.emit(event, next);
  }

  /**
   * Fleet-wide recovery: the lock holder logs in (unless a session appeared meanwhile) and stores
   * the session; the others wait for it, woken by a notification or polling, and retry the lock in
   * case the holder died.
   */
  async function together(usedId: string | undefined, relogin: () => Promise<void>): Promise<boolean> {
    // Local only: the holder replaces the shared value; deleting it would read as a logout to the others.
    await drop('expired');
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const release = await store.tryLock!(`${deps.key}:lock`, LOCK_TTL_MS);
      if (release)
        try {
          const stored = await read();
          await (replaces(stored, usedId) ? adopt(stored) : relogin());
          return true;
        } finally {
          await release();
        }
      await new Promise<void>((resolve) => {
        const timer = setTimeout((wake = resolve), POLL_MS);
        wake = () => resolve(clearTimeout(timer));
      });
      const stored = await read();
      if (replaces(stored, usedId)) return adopt(stored).then(() => true);
      if (Date.now() > deadline) throw new Error('No new session from the login lock holder in time.');
    }
  }

  /**
   * The credential `usedId` was rejected (or expired). Resolves true when a newer session exists to
   * replay with: one another request or process already made, or one made by re-login.
   */
  function recover(usedId: string | undefined): Promise<boolean> {
    // A call that found no session while a recovery runs (it cleared the session) joins it.
    if (recovery && (recovery.id === usedId || (recovery.pending && !usedId))) return recovery.done;
    const current = { id: usedId, pending: true, done: Promise.resolve(false) };
    current.done = (async () => {
      if (state && state.id !== usedId) return true;
      const stored = await read();
      if (replaces(stored, usedId)) {
        await adopt(stored);
        return true;
      }
      if (shared && deps.relogin) return together(usedId, deps.relogin);
      if (state) await set(undefined, 'expired');
      if (!deps.relogin) return false;
      await deps.relogin();
      return true;
    })().finally(() => {
      current.pending = false;
    });
    // A store failure (not a refused login) must not stick to this credential: the next call tries again.
    current.done.catch((error: unknown) => {
      if (recovery === current && !(error instanceof AuthwireError)) recovery = undefined;
    });
    recovery = current;
    return current.done;
  }

  return {
    set,
    async get() {
      await load();
      return state;
    },
    /** The session to send now: an expired one is dropped (and replaced when re-login is set up). */
    async current() {
      await load();
      if (state?.expiresAt !== undefined && deps.now() >= state.expiresAt) await recover(state.id);
      return state;
    },
    recover,
  };
}

export type Session<U> = ReturnType<typeof createSession<U>>;
