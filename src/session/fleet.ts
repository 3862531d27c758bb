import { NotAuthenticatedError, type ErrorContext } from '../errors.js';
import type { SharedSession } from './shared.js';
import type { SessionState } from './state.js';

/**
 * How long a crashed lock holder keeps the others waiting. Short, so their calls outlive it; a
 * store renews the lock while its holder lives (the Redis store does, Web Locks hold per tab).
 */
const LOCK_TTL_MS = 5_000;

/**
 * Listens to the shared session for as long as the client lives, which also lets a wait for another
 * client's login hear of it at once. With `take`, each change another client may have made hands it
 * the session stored now, or undefined once that ended or expired; a failed read waits for the next change.
 */
export function follow<U>(shared: SharedSession<U>, ctx: ErrorContext, take?: (stored: SessionState<U> | undefined) => unknown) {
  shared.watch(() => {
    if (take) shared.newer(undefined, ctx).then(take, () => undefined);
  });
}

/**
 * Drops the refused session `id` from a plain store too. In a coordinated one the lock holder
 * replaces it instead, since erasing it would read as a logout to every other client.
 */
export async function dropRefused<U>(shared: SharedSession<U>, id: string, ctx: ErrorContext) {
  if (!shared.shared && (await shared.read(ctx))?.id === id) await shared.erase(ctx);
}

/** One replacement of a refused or expired credential, as `renew` runs it. */
export interface Renewal<U> {
  /** The credential refused or expired: a stored session other than it is newer. */
  usedId: string | undefined;
  ctx: ErrorContext;
  signal: AbortSignal | undefined;
  /** How long to wait for the session of another client that is logging in. */
  waitMs: number;
  /** Whether a login or logout started since: then nothing is taken or committed. */
  stale(): boolean;
  /** Logs in: holding the fleet lock, or where the store has none. Resolves the new, uncommitted session. */
  login(): Promise<SessionState<U>>;
  /** Stores the new session and uses it, still holding the lock. */
  commit(fresh: SessionState<U>): Promise<void>;
  /** Uses the session another client stored. */
  take(stored: SessionState<U>): Promise<void>;
}

/**
 * Replaces a credential as the one client, of all those sharing the store, that logs in: the lock
 * holder takes a session another client stored meanwhile, or logs in; the others wait for its session.
 */
export async function renew<U>(shared: SharedSession<U>, now: () => number, r: Renewal<U>) {
  for (const deadline = now() + r.waitMs; ; ) {
    const release = shared.shared ? await shared.lock(LOCK_TTL_MS, r.ctx) : undefined;
    if (release || !shared.shared)
      try {
        const taken = release && (await shared.newer(r.usedId, r.ctx));
        if (taken) return r.take(taken);
        const fresh = await r.login();
        if (r.stale()) return;
        return await r.commit(fresh);
      } finally {
        await release?.().catch(() => undefined);
      }
    // Another client is logging in: wait for its session (a notification, or the next look).
    await shared.changed(r.signal);
    if (r.signal?.aborted || r.stale()) return;
    const taken = await shared.newer(r.usedId, r.ctx);
    if (taken) return r.take(taken);
    if (now() > deadline) throw new NotAuthenticatedError('No session appeared while another client logged in.', { ...r.ctx, reason: 'relogin-failed' });
  }
}
