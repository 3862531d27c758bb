// Fleet tests: 8 real Node processes (fixtures/worker.mjs, clients of the BUILT package) share one
// session through `authwire/redis` on a real redis-server, against the Coco emulator in this process,
// which counts logins and records which token each request carried.
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Emulator } from '../../src/emulators/index.js';
import { createClock, mockCoco, type MockClock } from '../../src/mocks/index.js';
import { coco } from '../../src/node.js';
import { redisStore } from '../../src/stores/redis.js';
import { requireBuilt } from '../support/built.js';
import { startRedis, type RedisServer } from '../support/redis.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('fixtures/worker.mjs', import.meta.url));
const USER = { email: 'admin@example.com', password: 's3cret-Passw0rd!' };
const DAY = 24 * 3600_000;
const PROCESSES = 8;
const CALLS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Tally = Record<string, number>;
interface Seen {
  at: number;
  path: string;
  token: string | undefined;
}

/** The Coco emulator, counting logins (optionally slowed down) and recording every bearer token. */
interface CountingCoco {
  url: string;
  clock: MockClock;
  seen: Seen[];
  logins: () => number;
  loginDelayMs: number;
  /** From now on, count only the fleet's logins. */
  seeded(): void;
  close(): Promise<void>;
}

async function startCoco(): Promise<CountingCoco> {
  const clock = createClock();
  const mock = mockCoco({ clock });
  const seen: Seen[] = [];
  const handle = mock.handle;
  /** Logins this process made to set the scene, not counted. */
  let seeded = 0;
  const counting: CountingCoco = {
    url: '',
    clock,
    seen,
    logins: () => seen.filter((s) => s.path === '/account/login').length - seeded,
    loginDelayMs: 0,
    seeded: () => void (seeded = seen.filter((s) => s.path === '/account/login').length),
    close: async () => {},
  };
  mock.handle = async (request) => {
    const path = new URL(request.url).pathname;
    const auth = request.headers.get('authorization');
    seen.push({ at: Date.now(), path, token: auth?.startsWith('Bearer ') ? auth.slice(7) : undefined });
    if (path === '/account/login' && counting.loginDelayMs) await sleep(counting.loginDelayMs);
    return handle(request);
  };
  const emulator: Emulator = await serve(mock);
  return Object.assign(counting, { url: emulator.url, close: emulator.close });
}

interface Worker {
  child: ChildProcess;
  exited: Promise<void>;
  run<T = Record<string, unknown>>(command: string, args?: Record<string, unknown>): Promise<T>;
}

function spawnWorker(config: Record<string, unknown>, onLogin: (worker: Worker) => void): Promise<Worker> {
  const child = fork(WORKER, [JSON.stringify(config)], { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve(value: never): void; reject(error: Error): void }>();
  let next = 0;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const { reject } of pending.values()) reject(new Error(`worker exited (${code ?? signal})`));
      pending.clear();
      resolve();
    }),
  );
  const worker: Worker = {
    child,
    exited,
    run: (command, args) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve: resolve as (value: never) => void, reject });
        child.send({ id, command, args });
      }),
  };
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: { type?: string; id?: number; result?: never; error?: string }) => {
      if (message.type === 'ready') resolve(worker);
      else if (message.type === 'login') onLogin(worker);
      else if (message.id !== undefined) {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiting?.reject(new Error(message.error));
        else waiting?.resolve(message.result!);
      }
    });
  });
}

/** Bursts of 10 calls per worker until one round is all ok; returns how many rounds it took. */
async function eventuallyOk(workers: Worker[]): Promise<number> {
  for (let round = 1; ; round++) {
    const rounds = await Promise.all(workers.map((w) => w.run<{ outcomes: Tally }>('burst', { calls: 10 })));
    const outcomes = merge(rounds.map((r) => r.outcomes));
    if (outcomes.ok === workers.length * 10) return round;
    expect(Object.keys(outcomes).filter((name) => name.startsWith('untyped'))).toEqual([]);
    if (round === 20) throw new Error(`not recovered: ${JSON.stringify(outcomes)}`);
    await sleep(1000);
  }
}

let redis: RedisServer;
let raw: Redis;
let emulator: CountingCoco;
let fleet: Worker[] = [];
const key = () => `authwire:coco:${emulator.url}`;
const merge = (tallies: Tally[]) =>
  tallies.reduce<Tally>((all, t) => {
    for (const [name, n] of Object.entries(t)) all[name] = (all[name] ?? 0) + n;
    return all;
  }, {});

async function spawnFleet(withCredentials: boolean, onLogin: (worker: Worker) => void = () => {}, timeout?: number) {
  const config = { baseUrl: emulator.url, redisUrl: redis.url, credentials: withCredentials ? USER : undefined, timeout };
  fleet = await Promise.all(Array.from({ length: PROCESSES }, () => spawnWorker(config, onLogin)));
  await Promise.all(fleet.map((w) => w.run('load')));
}

/** Logs in once from this process, so the store holds a session for the fleet; returns its token. */
async function seedSession(): Promise<string> {
  const store = redisStore({ url: redis.url });
  try {
    const client = coco({ baseUrl: emulator.url, store });
    await client.login(USER);
    emulator.seeded();
    return (await client.credential())!;
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  requireBuilt('node.js', 'redis.js');
  redis = await startRedis();
  raw = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  raw.on('error', () => {});
});

afterEach(async () => {
  await Promise.all(
    fleet.map((w) => {
      const kill = setTimeout(() => w.child.kill('SIGKILL'), 5000);
      return w.run('close').catch(() => {}).then(() => w.exited).finally(() => clearTimeout(kill));
    }),
  );
  fleet = [];
  await emulator?.close();
  await raw.flushall();
});

afterAll(async () => {
  for (const w of fleet) w.child.kill('SIGKILL');
  raw?.disconnect();
  await redis?.close();
});

describe(`a fleet of ${PROCESSES} processes sharing a Redis store`, () => {
  it(`logs in once for ${PROCESSES} × ${CALLS} concurrent calls on a session the server refuses`, async () => {
    emulator = await startCoco();
    await seedSession();
    await spawnFleet(true);
    emulator.clock.advance(DAY + 60_000); // every token issued so far is refused now
    const start = emulator.seen.length;
    const bursts = await Promise.all(fleet.map((w) => w.run<{ outcomes: Tally; ms: number }>('burst', { calls: CALLS })));
    const outcomes = merge(bursts.map((b) => b.outcomes));
    console.log(`[fleet] refused: logins ${emulator.logins()}, outcomes ${JSON.stringify(outcomes)}, slowest process ${Math.max(...bursts.map((b) => b.ms)).toFixed(0)} ms, requests ${emulator.seen.length - start}`);
    expect(outcomes).toEqual({ ok: PROCESSES * CALLS });
    expect(emulator.logins()).toBe(1);
  }, 180_000);

  it(`logs in once for ${PROCESSES} × ${CALLS} concurrent calls on a session expired by the clock`, async () => {
    emulator = await startCoco();
    await seedSession();
    const stored = JSON.parse((await raw.get(key()))!) as { expiresAt: number };
    await raw.set(key(), JSON.stringify({ ...stored, expiresAt: Date.now() - 1000 }));
    await spawnFleet(true);
    const bursts = await Promise.all(fleet.map((w) => w.run<{ outcomes: Tally; ms: number }>('burst', { calls: CALLS })));
    const outcomes = merge(bursts.map((b) => b.outcomes));
    console.log(`[fleet] expired: logins ${emulator.logins()}, outcomes ${JSON.stringify(outcomes)}, slowest process ${Math.max(...bursts.map((b) => b.ms)).toFixed(0)} ms`);
    expect(outcomes).toEqual({ ok: PROCESSES * CALLS });
    expect(emulator.logins()).toBe(1);
  }, 180_000);

  it('logs in at most twice when the lock holder is killed mid-login; the others take over after the lock TTL', async () => {
    emulator = await startCoco();
    await seedSession();
    emulator.loginDelayMs = 1500;
    let killed: Worker | undefined;
    // A 10 s call timeout makes the lock TTL (the login bound) 15 s.
    const onLogin = (worker: Worker) => {
      if (killed) return;
      killed = worker;
      // Killed once its login reached the server: the lock stays held until its TTL.
      void (async () => {
        while (!emulator.logins()) await sleep(5);
        worker.child.kill('SIGKILL');
      })();
    };
    await spawnFleet(true, onLogin, 10_000);
    emulator.clock.advance(DAY + 60_000);
    const start = performance.now();
    const bursts = await Promise.all(
      fleet.map((w) => w.run<{ outcomes: Tally; ms: number }>('burst', { calls: CALLS }).catch(() => undefined)),
    );
    const survivors = fleet.filter((w) => w !== killed);
    const during = merge(bursts.filter((b): b is { outcomes: Tally; ms: number } => !!b).map((b) => b.outcomes));
    // Calls in flight wait within their own timeout, which may end before the dead holder's lock does.
    const after = await eventuallyOk(survivors);
    console.log(`[fleet] holder killed: logins ${emulator.logins()}, survivors ${survivors.length}, first burst ${JSON.stringify(during)}, all ok again ${(performance.now() - start).toFixed(0)} ms after the burst began (${after} rounds)`);
    expect(killed).toBeDefined();
    expect(Object.keys(during).every((name) => name === 'ok' || name === 'TimeoutError')).toBe(true);
    expect(emulator.logins()).toBeGreaterThanOrEqual(1);
    expect(emulator.logins()).toBeLessThanOrEqual(2);
    fleet = survivors;
  }, 180_000);

  it('ends every call typed while redis-server restarts mid-run, and recovers by itself', async () => {
    emulator = await startCoco();
    await seedSession();
    await spawnFleet(true);
    await Promise.all(fleet.map((w) => w.run('loop', { calls: 2, everyMs: 100 })));
    await sleep(800);
    // The session ends on the server while Redis is gone: recovering needs the store.
    emulator.clock.advance(DAY + 60_000);
    await redis.stop();
    const downAt = Date.now();
    await sleep(1000);
    await redis.start();
    const upAt = Date.now();
    await sleep(3000);
    const results = await Promise.all(fleet.map((w) => w.run<{ outcomes: Tally; lastOkAt: number }>('stop')));
    const outcomes = merge(results.map((r) => r.outcomes));
    const untyped = Object.keys(outcomes).filter((name) => name.startsWith('untyped'));
    const after = await Promise.all(fleet.map((w) => w.run<{ outcomes: Tally }>('burst', { calls: 10 })));
    console.log(`[fleet] redis restart: down ${upAt - downAt} ms, outcomes ${JSON.stringify(outcomes)}, logins ${emulator.logins()}, last ok per process ${results.map((r) => r.lastOkAt - upAt).join(',')} ms after restart`);
    expect(untyped).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(0);
    for (const r of results) expect(r.lastOkAt).toBeGreaterThan(upAt);
    expect(merge(after.map((a) => a.outcomes))).toEqual({ ok: PROCESSES * 10 });
  }, 180_000);

  it('stops sending the old credential in every process within 1 s of a logout in one of them', async () => {
    emulator = await startCoco();
    const token = await seedSession();
    await spawnFleet(false);
    await Promise.all(fleet.map((w) => w.run('loop', { calls: 1, everyMs: 20 })));
    await sleep(1000);
    const { before, after } = await fleet[0]!.run<{ before: number; after: number }>('logout');
    const storedAfterLogout = await raw.get(key());
    await sleep(2000);
    const storedLater = await raw.get(key());
    const results = await Promise.all(fleet.map((w) => w.run<{ outcomes: Tally; lastOkAt: number }>('stop')));
    const states = await Promise.all(
      fleet.map((w) => w.run<{ signedIn: boolean; signedOutAt?: number; lastSent: Record<string, number> }>('state')),
    );
    const old = createHash('sha256').update(token).digest('hex').slice(0, 12);
    const lastOld = Math.max(...states.slice(1).map((s) => s.lastSent[old] ?? 0));
    const followers = states.slice(1).map((s) => s.signedOutAt! - after);
    console.log(`[fleet] logout: old token last sent ${lastOld - after} ms after the logout resolved, others signed out after ${followers.join(',')} ms, outcomes ${JSON.stringify(merge(results.map((r) => r.outcomes)))}`);
    console.log(`[fleet] logout: store right after logout ${storedAfterLogout ? 'holds a session' : 'empty'}, 2 s later ${storedLater ? 'holds a session' : 'empty'}; signed in: ${states.map((s) => s.signedIn).join(',')}`);
    expect(storedLater).toBeNull();
    expect(states.every((s) => !s.signedIn)).toBe(true);
    // The others were still sending it when the logout began.
    expect(lastOld).toBeGreaterThan(before);
    expect(lastOld - after).toBeLessThan(1000);
    for (const ms of followers) expect(ms).toBeLessThan(1000);
  }, 180_000);
});
