// `authwire/browser-store`: a session store in `localStorage` shared by the tabs of one origin, with
// cross-tab single-flight (Web Locks) and change notifications (BroadcastChannel, storage events).
import type { SessionStore } from '../session/store.js';

/** What the store needs of `localStorage` (or `sessionStorage`, or anything alike). */
export interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface LocalStorageStoreOptions {
  /** Prefixed to every key, lock and channel name. Default none. */
  prefix?: string;
}

interface LockManager {
  request(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<void> | undefined): Promise<unknown>;
}

type Globals = {
  navigator?: { locks?: LockManager };
  localStorage?: WebStorage;
  addEventListener?: (type: 'storage', listener: (event: { key: string | null; storageArea: unknown }) => void) => void;
  removeEventListener?: (type: 'storage', listener: (event: { key: string | null; storageArea: unknown }) => void) => void;
};

/**
 * A `SessionStore` over `localStorage`. Tabs sharing it share the session: `tryLock` uses the Web
 * Locks API (held until released, or `ttlMs`, or the tab closes), `watch` hears other tabs' changes
 * through a `BroadcastChannel` and `storage` events. Where Web Locks are missing the store has no
 * `tryLock`, and each tab recovers on its own.
 */
export function localStorageStore(storage?: WebStorage, options: LocalStorageStoreOptions = {}): SessionStore {
  const global = globalThis as Globals;
  const area = storage ?? global.localStorage;
  if (!area) throw new TypeError('localStorageStore needs localStorage, or a storage passed in.');
  const prefix = options.prefix ?? '';
  const channelName = `authwire-store:${prefix}`;
  const locks = global.navigator?.locks;
  // Posts go out on their own channel object, so the watchers of this tab hear them too (a message
  // never reaches the object that sent it).
  let outbox: BroadcastChannel | undefined;
  const announce = (key: string) => {
    if (typeof BroadcastChannel !== 'function') return;
    (outbox ??= new BroadcastChannel(channelName)).postMessage(key);
  };

  const store: SessionStore = {
    get: (key) => area.getItem(prefix + key),
    set(key, value) {
      area.setItem(prefix + key, value);
      announce(key);
    },
    delete(key) {
      area.removeItem(prefix + key);
      announce(key);
    },
    watch(key, listener) {
      const inbox = typeof BroadcastChannel === 'function' ? new BroadcastChannel(channelName) : undefined;
      if (inbox) inbox.onmessage = (event: MessageEvent) => void (event.data === key && listener());
      // Storage events reach other tabs even where BroadcastChannel is missing; `key: null` is a clear().
      const onStorage = (event: { key: string | null; storageArea: unknown }) => {
        if (event.storageArea === area && (event.key === null || event.key === prefix + key)) listener();
      };
      global.addEventListener?.('storage', onStorage);
      return () => {
        inbox?.close();
        global.removeEventListener?.('storage', onStorage);
      };
    },
  };
  if (locks)
    store.tryLock = (key, ttlMs) =>
      new Promise((resolve, reject) => {
        locks
          .request(prefix + key, { ifAvailable: true }, (lock) => {
            if (!lock) {
              resolve(undefined);
              return undefined;
            }
            // Held while this promise is pending: until released or the tab closes (the browser frees
            // it then), and at most 10 × `ttlMs` in case the holder never releases it.
            return new Promise<void>((release) => {
              const timer = setTimeout(release, 10 * ttlMs);
              resolve(async () => {
                clearTimeout(timer);
                release();
              });
            });
          })
          .catch(reject);
      });
  return store;
}
