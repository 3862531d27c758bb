/**
 * Where sessions live between calls. Values are JSON strings; every method may be async, so a
 * browser app can use `localStorage`/`sessionStorage` and a fleet of Node processes Redis or a
 * database, all sharing one session per key.
 */
export interface SessionStore {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  set(key: string, value: string): void | Promise<void>;
  delete(key: string): void | Promise<void>;
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
