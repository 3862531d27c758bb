/**
 * Where sessions live between calls. Values are JSON strings (or whatever a wrapping store, such
 * as an encrypting one, makes of them); every method may be async, so a browser app can use
 * `localStorage` and a fleet of Node processes Redis or a database, all sharing one session per key.
 *
 * `tryLock` and `watch` are optional. A store that has them lets many clients sharing it act as
 * one: when the shared credential is refused, only the lock holder logs in and the others wait for
 * its session; a logout or a new session reaches every client at once.
 */
export interface SessionStore {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  /** `expiresAt` (epoch ms) is when the value stops being useful; a store may drop it then. */
  set(key: string, value: string, options?: { expiresAt?: number | undefined }): void | Promise<void>;
  delete(key: string): void | Promise<void>;
  /**
   * Takes the lock named `key`. `ttlMs` bounds how long a holder that crashed keeps it; a store
   * should renew it while its holder lives (logins may take longer). Resolves the function that
   * releases it, or `undefined` when another holder has it now. Never waits.
   */
  tryLock?(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  /**
   * Calls `listener` when the value of `key` may have changed through another client (set,
   * delete, expiry). Returns the function that stops watching.
   */
  watch?(key: string, listener: () => void): () => void;
}

/** The default: per client, gone with the process or page. */
export function memoryStore(): SessionStore {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
  };
}
