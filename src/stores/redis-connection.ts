import type { Redis } from 'ioredis';

/** A store operation that failed or did not finish in time. Holds no value and no URL. */
export class RedisStoreError extends Error {
  /** `'RedisStoreError'`. */
  override name = 'RedisStoreError';
  constructor(
    message: string,
    /** The store operation that failed: `get`, `set`, `delete`, `lock`, `renew` or `unlock`. */
    readonly operation: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

export const ignore = () => {};

/** Reconnects fast at first, then every second, forever: Redis coming back is noticed within a second. */
export const reconnectDelay = (attempt: number) => Math.min(50 * 2 ** attempt, 1000);

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs a command once the connection is ready, all within `timeout`; never after giving up. */
export type Bounded = <T>(operation: string, command: () => Promise<T>) => Promise<T>;

/** The bounded runner of one connection; `isClosed` makes every later operation fail at once. */
export function boundedOn(client: Redis, timeout: number, isClosed: () => boolean): Bounded {
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

  return <T>(operation: string, command: () => Promise<T>) => {
    if (isClosed()) return Promise.reject(new RedisStoreError('The Redis store is closed.', operation));
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
  };
}

/** QUIT when Redis answers in time, otherwise drop the socket. */
export async function quit(connection: Redis, timeout: number) {
  const timer = new Promise<'late'>((resolve) => setTimeout(resolve, timeout, 'late').unref());
  const done = await Promise.race([connection.quit().then(() => 'ok' as const, () => 'failed' as const), timer]);
  if (done !== 'ok') connection.disconnect();
}
