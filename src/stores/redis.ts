// `authwire/redis`: a session store in Redis that lets a fleet of processes share one session.
//
// The client is ioredis (an optional peer dependency): it reconnects on its own, resubscribes its
// channels after a reconnect, can refuse commands while disconnected instead of queueing them
// (`enableOfflineQueue: false`, so a command never runs late, after its caller gave up), and ships its
// own types. node-redis would do too; ioredis needs the least code here for those four.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SessionStore } from '../session/store.js';

export interface RedisStoreOptions {
  /** Prefixed to every key and channel, e.g. `myapp:`. Default none. */
  keyPrefix?: string;
  /** Milliseconds each store operation may take, waiting for a connection included. Default 2 000. */
  timeout?: number;
}

export interface RedisStoreFromUrl extends RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`; the store owns this connection. */
  url: string;
}

export interface RedisStoreFromClient extends RedisStoreOptions {
  /**
   * An ioredis client the app already has; the store borrows it and opens one more connection
   * (a duplicate) for notifications. Best created with `enableOfflineQueue: false`, so commands
   * that timed out here never run later.
   */
  client: Redis;
}

export interface RedisSessionStore extends SessionStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { expiresAt?: number | undefined }): Promise<void>;
  delete(key: string): Promise<void>;
  tryLock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  watch(key: string, listener: () => void): () => void;
  /** Closes the connections the store opened (not a client it was given). */
  close(): Promise<void>;
}

/** A store operation that failed or did not finish in time. Holds no value and no URL. */
export class RedisStoreError extends Error {
  override name = 'RedisStoreError';
  constructor(
    message: string,
    readonly operation: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

// Deletes the lock only while it still holds this owner's token, so a holder whose lock expired and
// was taken by another process cannot release the other's lock.
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
// Extends the lock only while it still holds this owner's token.
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
/** A held lock is renewed for at most this many TTLs, in case its holder never releases it. */
const MAX_HOLD_TTLS = 10;
const ignore = () => {};

/** Reconnects fast at first, then every second, forever: Redis coming back is noticed within a second. */
const reconnectDelay = (attempt: number) => Math.min(50 * 2 ** attempt, 1000);

/**
 * A `SessionStore` in Redis: values with a TTL from the session's expiry, a lock per key (SET NX PX
 * with an owner token, compare-and-delete release), and change notifications over pub/sub.
 * Every operation settles within `timeout`: a missing, restarting or stalled Redis rejects with a
 * `RedisStoreError`, and the store recovers by itself once Redis answers again.
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
  let subscriber: Redis | undefined;
  const listeners = new Map<string, Set<() => void>>();
  const channelOf = (key: string) => `${prefix}${key}:changed`;

  /** Resolves when the connection is ready: one listener however many operations wait. */
  let ready: Promise<void> | undefined;
  function whenReady(): Promise<void> {
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'end') return Promise.reject(new Error('connection closed'));
    if (client.status === 'wait') client.connect().catch(ignore);
    return (ready ??= new Promise<void>((resolve) =>
      client.once('ready', () => {
        ready = undefined;
        resolve();
      }),
    ));
  }

  /** Runs `command` once the connection is ready, all within `timeout`; never after giving up. */
  function bounded<T>(operation: string, command: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new RedisStoreError('The Redis store is closed.', operation));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (run: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        run();
      };
      const timer = setTimeout(
        () => finish(() => reject(new RedisStoreError(`Redis did not answer within ${timeout} ms.`, operation))),
        timeout,
      );
      const fail = (cause: unknown) =>
        finish(() => reject(new RedisStoreError(`Redis ${operation} failed: ${messageOf(cause)}`, operation, { cause })));
      whenReady()
        .then(() => (settled ? undefined : command().then((value) => finish(() => resolve(value)))))
        .catch(fail);
    });
  }

  function notifyAll() {
    for (const set of listeners.values()) for (const listener of set) call(listener);
  }

  function subscriberConnection(): Redis {
    if (subscriber) return subscriber;
    // Subscriptions may queue while (re)connecting: ioredis sends them, and resubscribes, once connected.
    const sub = client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true, retryStrategy: reconnectDelay });
    sub.on('error', ignore);
    sub.on('message', (channel: string) => listeners.get(channel)?.forEach(call));
    let connectedBefore = false;
    // After a reconnect, changes made while the connection was down were never announced.
    sub.on('ready', () => {
      if (connectedBefore) notifyAll();
      connectedBefore = true;
    });
    subscriber = sub;
    return sub;
  }

  async function changed(key: string, write: (multi: ReturnType<Redis['multi']>) => void) {
    const multi = client.multi();
    write(multi);
    multi.publish(channelOf(key), 'changed');
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

    async tryLock(key, ttlMs) {
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
    },

    watch(key, listener) {
      const channel = channelOf(key);
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        // A failed subscription is retried by ioredis on reconnect; the lifecycle polls meanwhile.
        if (!closed) subscriberConnection().subscribe(channel).catch(ignore);
      }
      const mine = () => listener();
      set.add(mine);
      return () => {
        if (!set.delete(mine) || set.size) return;
        listeners.delete(channel);
        subscriber?.unsubscribe(channel).catch(ignore);
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      const connections = [subscriber, owned ? client : undefined].filter((c): c is Redis => !!c);
      await Promise.all(connections.map((c) => quit(c, timeout)));
    },
  };
}

function call(listener: () => void) {
  try {
    listener();
  } catch {
    // A watcher's failure is its own; the others still hear of the change.
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** QUIT when Redis answers in time, otherwise drop the socket. */
async function quit(connection: Redis, timeout: number) {
  const timer = new Promise<'late'>((resolve) => setTimeout(resolve, timeout, 'late').unref());
  const done = await Promise.race([connection.quit().then(() => 'ok' as const, () => 'failed' as const), timer]);
  if (done !== 'ok') connection.disconnect();
}
