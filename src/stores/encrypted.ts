// `authwire/encrypted-store`: sessions encrypted at rest, around any store.
import type { SessionStore } from '../session/store.js';

/** An AES-GCM `CryptoKey`, or 32 raw bytes (a 256-bit key). */
export type StoreKey = CryptoKey | Uint8Array;

/** The format of stored values; a new format gets a new prefix, and old values still read. */
const PREFIX = 'aw1.';
const IV_BYTES = 12;

type Passed<S> = Pick<S, Extract<keyof S, 'tryLock' | 'watch' | 'close'>>;

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function importKey(key: StoreKey): Promise<CryptoKey> {
  if (!(key instanceof Uint8Array)) return Promise.resolve(key);
  return crypto.subtle.importKey('raw', new Uint8Array(key), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/**
 * Wraps `store` so values are encrypted with AES-GCM (WebCrypto): a random 96-bit IV per value, and
 * the entry's key as associated data, so a value copied to another key does not decrypt. `keys` is
 * one key or a list: the first encrypts, all decrypt (rotation: put the new key first, drop the old
 * one once every session was written again). A value that does not decrypt — tampered, another key,
 * not encrypted — reads as absent: the client then signs in again rather than failing.
 * `tryLock`, `watch` and `close` pass through.
 */
export function encryptedStore<S extends SessionStore>(store: S, keys: StoreKey | readonly StoreKey[]): SessionStore & Passed<S> {
  const list = Array.isArray(keys) ? keys : [keys as StoreKey];
  if (!list.length) throw new TypeError('encryptedStore needs at least one key.');
  for (const key of list)
    if (key instanceof Uint8Array ? key.length !== 32 : (key.algorithm as { name?: string }).name !== 'AES-GCM')
      throw new TypeError('encryptedStore keys are AES-GCM CryptoKeys or 32 raw bytes.');
  let imported: Promise<CryptoKey[]> | undefined;
  const cryptoKeys = () => (imported ??= Promise.all(list.map(importKey)));
  const encoder = new TextEncoder();

  async function seal(name: string, value: string) {
    const [key] = await cryptoKeys();
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const sealed = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(name) }, key!, encoder.encode(value)),
    );
    const out = new Uint8Array(IV_BYTES + sealed.length);
    out.set(iv);
    out.set(sealed, IV_BYTES);
    return PREFIX + toBase64(out);
  }

  async function open(name: string, value: string | null | undefined) {
    if (!value?.startsWith(PREFIX)) return undefined;
    const bytes = fromBase64(value.slice(PREFIX.length));
    if (!bytes || bytes.length <= IV_BYTES) return undefined;
    for (const key of await cryptoKeys())
      try {
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: encoder.encode(name) },
          key,
          bytes.subarray(IV_BYTES),
        );
        return new TextDecoder().decode(plain);
      } catch {
        // Not this key (or tampered): try the next one.
      }
    return undefined;
  }

  const passed: Record<string, unknown> = {};
  for (const name of ['tryLock', 'watch', 'close'] as const) {
    const method = (store as Partial<Record<typeof name, unknown>>)[name];
    if (typeof method === 'function') passed[name] = method.bind(store);
  }
  const wrapped = {
    ...passed,
    get: async (key: string) => open(key, await store.get(key)),
    set: async (key: string, value: string, options?: { expiresAt?: number | undefined }) =>
      store.set(key, await seal(key, value), options),
    delete: (key: string) => store.delete(key),
  };
  return wrapped as SessionStore & Passed<S>;
}
