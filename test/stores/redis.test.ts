// The Redis store against a real redis-server (test/support/redis.ts): values and TTLs, the lock,
// notifications across store instances, and faults — Redis down at start, down mid-run, restarted,
// stalled — each ending in a RedisStoreError within the store's timeout, and recovery by itself.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisStoreError, redisStore, type RedisSessionStore } from '../../src/stores/redis.js';
import { startRedis, type RedisServer } from '../support/redis.js';

let server: RedisServer;
let raw: Redis;
const opened: RedisSessionStore[] = [];
const open = (options: Partial<Parameters<typeof redisStore>[0]> = {}) => {
  const store = redisStore({ url: server.url, timeout: 500, ...options } as Parameters<typeof redisStore>[0]);
  opened.push(store);
  return store;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `channel` has `count` subscribers, so a publish cannot race the subscription. */
async function subscribed(channel: string, count = 1) {
  for (let i = 0; i < 200; i++) {
    const [, n] = (await raw.pubsub('NUMSUB', channel)) as [string, number];
    if (n >= count) return;
    await sleep(10);
  }
  throw new Error(`no subscriber on ${channel}`);
}

/** The time a promise takes to settle, and how. */
async function timed(promise: Promise<unknown>) {
  const start = performance.now();
  const outcome = await promise.then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error }),
  );
  return { ...outcome, ok: outcome.error === undefined, ms: performance.now() - start };
}

async function eventually<T>(attempt: () => Promise<T>, withinMs: number): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  for (;;) {
    try {
      return { value: await attempt(), ms: performance.now() - start };
    } catch (error) {
      if (performance.now() - start > withinMs) throw error;
      await sleep(50);
    }
  }
}

beforeAll(async () => {
  server = await startRedis();
  raw = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
  raw.on('error', () => {});
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  if (raw.status === 'ready') await raw.flushall();
});

afterAll(async () => {
  raw?.disconnect();
  await server?.close();
});

describe('values', () => {
  it('gets, sets and deletes under the key prefix', async () => {
    const store = open({ keyPrefix: 'app1:' });
    const other = open({ keyPrefix: 'app2:' });
    expect(await store.get('s')).toBeNull();
    await store.set('s', '{"id":"a"}');
    expect(await store.get('s')).toBe('{"id":"a"}');
    expect(await raw.get('app1:s')).toBe('{"id":"a"}');
    expect(await other.get('s')).toBeNull();
    await store.delete('s');
    expect(await store.get('s')).toBeNull();
  });

  it('gives a stored value the TTL of its expiry, and drops an already expired one', async () => {
    const store = open();
    await store.set('s', 'v', { expiresAt: Date.now() + 60_000 });
    const ttl = await raw.pttl('s');
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await store.set('short', 'v', { expiresAt: Date.now() + 150 });
    await sleep(300);
    expect(await store.get('short')).toBeNull();
    await store.set('s', 'v2', { expiresAt: Date.now() - 1 });
    expect(await store.get('s')).toBeNull();
    await store.set('forever', 'v');
    expect(await raw.pttl('forever')).toBe(-1);
  });

  it('borrows a client it is given and leaves it open on close()', async () => {
    const client = new Redis(server.url, { enableOfflineQueue: false });
    const store = redisStore({ client, keyPrefix: 'b:' });
    await store.set('k', 'v');
    expect(await raw.get('b:k')).toBe('v');
    await store.close();
    expect(await client.get('b:k')).toBe('v');
    await client.quit();
  });
});

describe('lock', () => {
  it('has one winner among contenders of several processes', async () => {
    const stores = [open(), open(), open(), open()];
    const attempts = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 4]!.tryLock('s:lock', 5000)));
    expect(attempts.filter(Boolean)).toHaveLength(1);
    const owner = await raw.get('s:lock');
    expect(owner).toMatch(/^[0-9a-f-]{36}$/);
    expect(await raw.pttl('s:lock')).toBeGreaterThan(4000);
  });

  it('is free again once its holder releases it', async () => {
    const [a, b] = [open(), open()];
    const release = await a.tryLock('s:lock', 5000);
    expect(await b.tryLock('s:lock', 5000)).toBeUndefined();
    await release!();
    expect(await raw.exists('s:lock')).toBe(0);
    expect(await b.tryLock('s:lock', 5000)).toBeTypeOf('function');
  });

  it('stays held past its TTL while its holder lives, and is free TTL after the holder dies', async () => {
    const [a, b] = [open(), open()];
    expect(await a.tryLock('s:lock', 200)).toBeTypeOf('function');
    await sleep(500);
    expect(await b.tryLock('s:lock', 200)).toBeUndefined();
    await a.close(); // as a crash: no release, no more renewals
    await sleep(300);
    expect(await b.tryLock('s:lock', 5000)).toBeTypeOf('function');
  });

  it('is renewed at most 10 TTLs long when its holder never releases it', async () => {
    const [a, b] = [open(), open()];
    expect(await a.tryLock('s:lock', 100)).toBeTypeOf('function');
    await sleep(600);
    expect(await b.tryLock('s:lock', 100)).toBeUndefined();
    await sleep(900);
    expect(await b.tryLock('s:lock', 5000)).toBeTypeOf('function');
  });

  it('is released only by its owner: a late release leaves the next holder’s lock alone', async () => {
    const [a, b, c] = [open(), open(), open()];
    const late = await a.tryLock('s:lock', 5000);
    await raw.del('s:lock'); // as if it had expired
    expect(await b.tryLock('s:lock', 5000)).toBeTypeOf('function');
    const owner = await raw.get('s:lock');
    await late!();
    expect(await raw.get('s:lock')).toBe(owner);
    expect(await c.tryLock('s:lock', 5000)).toBeUndefined();
  });
});

describe('watch', () => {
  it('tells another store instance of every set and delete, until unsubscribed', async () => {
    const writer = open({ keyPrefix: 'w:' });
    const reader = open({ keyPrefix: 'w:' });
    const heard: string[] = [];
    const stop = reader.watch('s', () => heard.push('s'));
    reader.watch('other', () => heard.push('other'));
    await subscribed('w:s:changed');
    await writer.set('s', 'v1');
    await writer.delete('s');
    await writer.set('s', 'v2', { expiresAt: Date.now() + 60_000 });
    await eventually(async () => expect(heard).toEqual(['s', 's', 's']), 2000);
    stop();
    await eventually(async () => expect((await raw.pubsub('NUMSUB', 'w:s:changed'))[1]).toBe(0), 2000);
    await writer.set('s', 'v3');
    await sleep(100);
    expect(heard).toEqual(['s', 's', 's']);
  });

  it('resubscribes after a Redis restart and tells watchers that they may have missed changes', async () => {
    const writer = open();
    const reader = open();
    let heard = 0;
    reader.watch('s', () => heard++);
    await subscribed('s:changed');
    await server.restart();
    await eventually(async () => expect(heard).toBe(1), 5000);
    await subscribed('s:changed');
    await eventually(() => writer.set('s', 'after'), 5000);
    await eventually(async () => expect(heard).toBe(2), 2000);
  });
});

describe('faults: every operation settles within the timeout, and the store recovers by itself', () => {
  it('rejects with a RedisStoreError when Redis is down at start, and works once it is up', async () => {
    await server.stop();
    try {
      const store = open({ timeout: 300 });
      for (const operation of [store.get('s'), store.set('s', 'v'), store.tryLock('s:lock', 1000), store.delete('s')]) {
        const outcome = await timed(operation);
        expect(outcome.ok).toBe(false);
        expect(outcome.error).toBeInstanceOf(RedisStoreError);
        expect(outcome.ms).toBeLessThan(600);
      }
    } finally {
      await server.start();
    }
    const store = opened.at(-1)!;
    const { ms } = await eventually(() => store.set('s', 'v'), 5000);
    expect(ms).toBeLessThan(2000);
    expect(await store.get('s')).toBe('v');
  });

  it('rejects while Redis is down mid-run and recovers after it comes back (empty, no persistence)', async () => {
    const store = open({ timeout: 300 });
    await store.set('s', 'v');
    await server.stop();
    const down = await timed(store.get('s'));
    expect(down.error).toBeInstanceOf(RedisStoreError);
    expect(down.ms).toBeLessThan(600);
    await server.start();
    const back = await eventually(() => store.get('s'), 5000);
    expect(back.value).toBeNull();
    expect(back.ms).toBeLessThan(2000);
  });

  it('rejects within the timeout when Redis stalls (DEBUG SLEEP), then answers again', async () => {
    const store = open({ timeout: 300 });
    await store.set('s', 'v');
    const stall = raw.call('DEBUG', 'SLEEP', '1.5');
    await sleep(50);
    const slow = await timed(store.get('s'));
    expect(slow.error).toBeInstanceOf(RedisStoreError);
    expect(String((slow.error as Error).message)).toContain('300 ms');
    expect(slow.ms).toBeGreaterThanOrEqual(290);
    expect(slow.ms).toBeLessThan(600);
    await stall;
    expect(await store.get('s')).toBe('v');
  });

  it('rejects after close() without touching Redis', async () => {
    const store = open();
    await store.close();
    await expect(store.get('s')).rejects.toBeInstanceOf(RedisStoreError);
  });

  it('never puts the URL or its password into an error', async () => {
    await server.stop();
    try {
      const store = open({ url: `redis://:hunter2-secret@127.0.0.1:${server.port}`, timeout: 200 });
      const outcome = await timed(store.get('s'));
      expect(outcome.ok).toBe(false);
      const error = outcome.error as Error;
      expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain('hunter2');
    } finally {
      await server.start();
    }
  });
});
