// `authwire/redis`: a session store in Redis that lets a fleet of processes share one session.
//
// The client is ioredis (an optional peer dependency): it reconnects on its own, resubscribes its
// channels after a reconnect, can refuse commands while disconnected instead of queueing them
// (`enableOfflineQueue: false`, so a command never runs late, after its caller gave up), and ships its
// own types. node-redis would do too; ioredis needs the least code here for those four.
import { Redis } from 'ioredis';
import type { SessionStore } from '../session/store.js';
import { boundedOn, ignore, quit, reconnectDelay } from './redis-connection.js';
import { lockOn } from './redis-lock.js';
import { channelOf, watchOn } from './redis-watch.js';

/** What both ways of making a Redis store take. */
export interface RedisStoreOptions {
  /**
   * Prefixed to every key and channel, e.g. `myapp:`, so apps can share a Redis.
   * @default ''
   */
  keyPrefix?: string;
  /**
   * Milliseconds each store operation may take, waiting for a connection included.
   * @default 2000
   */
  timeout?: number;
}

/** A Redis store that opens and owns its connections. */
export interface RedisStoreFromUrl extends RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`; the store owns this connection. */
  url: string;
}

/** A Redis store on the app's own ioredis client. */
export interface RedisStoreFromClient extends RedisStoreOptions {
  /**
   * An ioredis client the app already has; the store borrows it and opens one more connection
   * (a duplicate) for notifications. Best created with `enableOfflineQueue: false`, so commands
   * that timed out here never run later.
   */
  client: Redis;
}

/** A `SessionStore` with locks and notifications, so clients across processes act as one; close it at shutdown. */
export interface RedisSessionStore extends SessionStore {
  /** The value stored under `key`, or null when there is none or it expired. */
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { expiresAt?: number | undefined }): Promise<void>;
  /** Removes the value of `key` and notifies the other watchers. */
  delete(key: string): Promise<void>;
  tryLock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  watch(key: string, listener: () => void): () => void;
  /** Closes the connections the store opened (not a client it was given). */
  close(): Promise<void>;
}

export { RedisStoreError } from './redis-connection.js';

/**
 * A `SessionStore` in Redis: values with a TTL from the session's expiry, a lock per key (SET NX PX
 * with an owner token, compare-and-delete release), and change notifications over pub/sub.
 * Every operation settles within `timeout`: a missing, restarting or stalled Redis rejects with a
 * `RedisStoreError`, and the store recovers by itself once Redis answers again.
 *
 * @example
 * const store = redisStore({ url: process.env.REDIS_URL!, keyPrefix: 'myapp:' });
 * const client = coco({ baseUrl: 'https://coco.example.com', store });
 * process.on('SIGTERM', () => void store.close());
 */
export function redisStore(options: RedisStoreFromUrl | RedisStoreFromClient): RedisSessionStore {
  const prefix = options.keyPrefix ?? '';
  const timeout = options.timeout ?? 2000;
  const owned = 'url' in options;
  const client: Redis = owned
    ? new Redis(options.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: timeout,
        retryStrategy: reconnectDelay,
      })
    : options.client;
  // An owned client must not print "Unhandled error event" on every failed reconnect; the failures
  // reach callers as rejected operations.
  if (owned) client.on('error', ignore);

  let closed = false;
  const isClosed = () => closed;
  const bounded = boundedOn(client, timeout, isClosed);
  const notifications = watchOn(client, prefix, isClosed);

  /** Writes and announces the change in one transaction. */
  async function changed(key: string, write: (multi: ReturnType<Redis['multi']>) => void) {
    const multi = client.multi();
    write(multi);
    multi.publish(channelOf(prefix, key), 'changed');
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  return {
    get: (key) => bounded('get', () => client.get(prefix + key)),

    set: (key, value, { expiresAt } = {}) =>
      bounded('set', () =>
        changed(key, (multi) => {
          const ttl = expiresAt === undefined ? undefined : Math.floor(expiresAt - Date.now());
          if (ttl === undefined) multi.set(prefix + key, value);
          else if (ttl > 0) multi.set(prefix + key, value, 'PX', ttl);
          // Already expired: storing it would only serve a dead credential.
          else multi.del(prefix + key);
        }),
      ),

    delete: (key) => bounded('delete', () => changed(key, (multi) => multi.del(prefix + key))),

    tryLock: lockOn(client, bounded, prefix),

    watch: notifications.watch,

    async close() {
      if (closed) return;
      closed = true;
      const connections = [notifications.stop(), owned ? client : undefined].filter((c): c is Redis => !!c);
      await Promise.all(connections.map((c) => quit(c, timeout)));
    },
  };
}

