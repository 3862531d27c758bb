import type { Redis } from 'ioredis';
import { ignore, reconnectDelay } from './redis-connection.js';

/** The pub/sub channel announcing changes of `key`. */
export const channelOf = (prefix: string, key: string) => `${prefix}${key}:changed`;

function call(listener: () => void) {
  try {
    listener();
  } catch {
    // A watcher's failure is its own; the others still hear of the change.
  }
}

/**
 * Change notifications over pub/sub, on one more connection (a duplicate of `client`) opened at the
 * first `watch`. After a reconnect every watcher is told, since changes made while the connection
 * was down were never announced.
 */
export function watchOn(client: Redis, prefix: string, isClosed: () => boolean) {
  let subscriber: Redis | undefined;
  const listeners = new Map<string, Set<() => void>>();

  function subscriberConnection(): Redis {
    if (subscriber) return subscriber;
    // Subscriptions may queue while (re)connecting: ioredis sends them, and resubscribes, once connected.
    const sub = client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true, retryStrategy: reconnectDelay });
    sub.on('error', ignore);
    sub.on('message', (channel: string) => listeners.get(channel)?.forEach(call));
    let connectedBefore = false;
    sub.on('ready', () => {
      if (connectedBefore) for (const set of listeners.values()) set.forEach(call);
      connectedBefore = true;
    });
    subscriber = sub;
    return sub;
  }

  return {
    watch(key: string, listener: () => void): () => void {
      const channel = channelOf(prefix, key);
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        // A failed subscription is retried by ioredis on reconnect; the lifecycle polls meanwhile.
        if (!isClosed()) subscriberConnection().subscribe(channel).catch(ignore);
      }
      const mine = () => listener();
      set.add(mine);
      return () => {
        if (!set.delete(mine) || set.size) return;
        listeners.delete(channel);
        subscriber?.unsubscribe(channel).catch(ignore);
      };
    },
    /** Drops every watcher; the subscriber connection, if one was opened, for the caller to close. */
    stop(): Redis | undefined {
      listeners.clear();
      return subscriber;
    },
  };
}
