// encryptedStore: AES-GCM at rest around any store. Round trip, a random IV per value, tampering and
// wrong keys read as absent, rotation, the entry's key bound as associated data, pass-through of
// tryLock/watch/close.
import { describe, expect, it, vi } from 'vitest';
import { memoryStore, type SessionStore } from '../../src/session/store.js';
import { encryptedStore } from '../../src/stores/encrypted.js';

const SESSION = JSON.stringify({ id: 's1', mode: 'bearer', secret: 'eyJ-very-secret-token' });
const rawKey = (fill: number) => new Uint8Array(32).fill(fill);

/** A memory store whose raw values the test can read and change. */
function inspectable() {
  const values = new Map<string, string>();
  const store: SessionStore = {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
  };
  return { store, values };
}

describe('encryptedStore', () => {
  it('round-trips values and stores neither the secret nor the same ciphertext twice', async () => {
    const { store, values } = inspectable();
    const secure = encryptedStore(store, rawKey(1));
    await secure.set('k', SESSION);
    const first = values.get('k')!;
    expect(first).toMatch(/^aw1\.[A-Za-z0-9+/=]+$/);
    expect(first).not.toContain('secret');
    expect(await secure.get('k')).toBe(SESSION);
    await secure.set('k', SESSION);
    expect(values.get('k')).not.toBe(first);
    expect(await secure.get('k')).toBe(SESSION);
    await secure.delete('k');
    expect(await secure.get('k')).toBeUndefined();
  });

  it('takes a CryptoKey as well as raw bytes', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const secure = encryptedStore(memoryStore(), key);
    await secure.set('k', SESSION);
    expect(await secure.get('k')).toBe(SESSION);
  });

  it('reads a tampered value as absent, never throwing', async () => {
    const { store, values } = inspectable();
    const secure = encryptedStore(store, rawKey(1));
    await secure.set('k', SESSION);
    const sealed = values.get('k')!;
    const bytes = Uint8Array.from(atob(sealed.slice(4)), (c) => c.charCodeAt(0));
    for (const index of [0, 12, bytes.length - 1]) {
      const changed = bytes.slice();
      changed[index]! ^= 1;
      values.set('k', `aw1.${btoa(String.fromCharCode(...changed))}`);
      expect(await secure.get('k')).toBeUndefined();
    }
    for (const bad of ['aw1.', 'aw1.%%%', 'aw1.AAAA', SESSION, 'aw2.' + sealed.slice(4)]) {
      values.set('k', bad);
      expect(await secure.get('k')).toBeUndefined();
    }
  });

  it('reads a value under the wrong key, or moved to another entry, as absent', async () => {
    const { store, values } = inspectable();
    await encryptedStore(store, rawKey(1)).set('k', SESSION);
    expect(await encryptedStore(store, rawKey(2)).get('k')).toBeUndefined();
    values.set('other', values.get('k')!);
    expect(await encryptedStore(store, rawKey(1)).get('other')).toBeUndefined();
  });

  it('rotates: the first key encrypts, every listed key decrypts', async () => {
    const { store } = inspectable();
    await encryptedStore(store, rawKey(1)).set('old', SESSION);
    const rotated = encryptedStore(store, [rawKey(2), rawKey(1)]);
    expect(await rotated.get('old')).toBe(SESSION);
    await rotated.set('new', SESSION);
    expect(await encryptedStore(store, rawKey(2)).get('new')).toBe(SESSION);
    expect(await encryptedStore(store, rawKey(1)).get('new')).toBeUndefined();
  });

  it('refuses keys that are not 256-bit AES keys', () => {
    expect(() => encryptedStore(memoryStore(), new Uint8Array(16))).toThrow(TypeError);
    expect(() => encryptedStore(memoryStore(), [])).toThrow(TypeError);
  });

  it('passes tryLock, watch and close through, and adds none the store lacks', async () => {
    const release = vi.fn(async () => {});
    const base = {
      ...memoryStore(),
      tryLock: vi.fn(async () => release),
      watch: vi.fn(() => () => {}),
      close: vi.fn(async () => {}),
    };
    const secure = encryptedStore(base, rawKey(1));
    expect(await secure.tryLock('k:lock', 1000)).toBe(release);
    expect(base.tryLock).toHaveBeenCalledWith('k:lock', 1000);
    const listener = () => {};
    secure.watch('k', listener);
    expect(base.watch).toHaveBeenCalledWith('k', listener);
    await secure.close();
    expect(base.close).toHaveBeenCalled();
    const plain = encryptedStore(memoryStore(), rawKey(1));
    expect('tryLock' in plain || 'watch' in plain).toBe(false);
  });

  it('forwards the expiry to the store', async () => {
    const base = { ...memoryStore(), set: vi.fn() };
    await encryptedStore(base, rawKey(1)).set('k', SESSION, { expiresAt: 1234 });
    expect(base.set).toHaveBeenCalledWith('k', expect.stringMatching(/^aw1\./), { expiresAt: 1234 });
  });
});
