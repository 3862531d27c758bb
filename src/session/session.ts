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

/**
 * The session of one client: loaded lazily from the store, persisted on change, expired before it
 * is sent, and replaced at most once per rejected credential — concurrent rejections of the same
 * credential share one recovery, and so one re-login.
 */
export function createSession<U>(deps: SessionDeps<U>) {
  let state: SessionState<U> | undefined;
  let loading: Promise<void> | undefined;
  let recovery: { id: string | undefined; done: Promise<boolean> } | undefined;

  const read = async () => parse<U>(await deps.store.get(deps.key));
  const adopt = async (next: SessionState<U> | undefined) => {
    state = next;
    if (next) await deps.restore?.(next);
  };
  const load = () => (loading ??= read().then((stored) => adopt(deps.initial ?? stored)));

  async function set(next: SessionState<U> | undefined, event?: AuthEvent) {
    await load();
    state = next;
    if (next) await deps.store.set(deps.key, JSON.stringify(next));
    else await Promise.all([deps.store.delete(deps.key), deps.forget?.()]);
    if (event) deps.emit(event, next);
  }

  /**
   * The credential `usedId` was rejected (or expired). Resolves true when a newer session exists to
   * replay with: one another request or process already made, or one made by re-login.
   */
  function recover(usedId: string | undefined): Promise<boolean> {
    if (recovery && recovery.id === usedId) return recovery.done;
    const done = (async () => {
      if (state && state.id !== usedId) return true;
      const stored = await read();
      if (stored && stored.id !== usedId) {
        await adopt(stored);
        return true;
      }
      if (state) await set(undefined, 'expired');
      if (!deps.relogin) return false;
      await deps.relogin();
      return true;
    })();
    recovery = { id: usedId, done };
    return done;
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
