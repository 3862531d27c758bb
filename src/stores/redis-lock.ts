import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ignore, type Bounded } from './redis-connection.js';

// Deletes the lock only while it still holds this owner's token, so a holder whose lock expired and
// was taken by another process cannot release the other's lock.
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
// Extends the lock only while it still holds this owner's token.
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
/** A held lock is renewed for at most this many TTLs, in case its holder never releases it. */
const MAX_HOLD_TTLS = 10;

/**
 * A lock per key: SET NX PX with an owner token, renewed while its holder lives, released by
 * compare-and-delete. Resolves the release, or undefined when another holds the lock.
 */
export function lockOn(client: Redis, bounded: Bounded, prefix: string) {
  return async function tryLock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    const token = randomUUID();
    const name = prefix + key;
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const taken = await bounded('lock', () => client.set(name, token, 'PX', ttl, 'NX'));
    if (taken !== 'OK') return undefined;
    // Renewed while this process lives, so a slow login keeps it; a crashed or frozen holder
    // stops renewing and the lock expires `ttlMs` later.
    const renewUntil = Date.now() + MAX_HOLD_TTLS * ttl;
    const renew = setInterval(() => {
      if (Date.now() > renewUntil) return clearInterval(renew);
      bounded('renew', () => client.eval(RENEW, 1, name, token, ttl)).then((kept) => kept || clearInterval(renew), ignore);
    }, Math.max(1, Math.floor(ttl / 3)));
    renew.unref();
    // Never rejects: a lock that could not be released expires by itself after `ttlMs`.
    return () => {
      clearInterval(renew);
      return bounded('unlock', () => client.eval(RELEASE, 1, name, token)).then(ignore, ignore);
    };
  };
}
