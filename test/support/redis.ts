import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOrInstall } from './install.js';

/** Found, installed, or refused with the command that installs it. */
export const findRedisServer = () =>
  findOrInstall({
    need: 'These tests need redis-server.',
    env: 'REDIS_SERVER_PATH',
    envNames: 'a redis-server binary',
    candidates: ['/usr/bin/redis-server', '/usr/local/bin/redis-server'],
    aptPackage: 'redis-server',
  });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something on `port` answers PING with PONG. */
async function answering(port: number, deadline: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.setTimeout(500, () => socket.destroy());
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.end();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGKILL: as abrupt as a crash); its data is gone, as with no persistence. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real redis-server on 127.0.0.1 on a free port, without persistence (`--save ''
 * --appendonly no`), with `DEBUG` allowed from loopback so tests can make it slow.
 */
export async function startRedis(): Promise<RedisServer> {
  const binary = findRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'authwire-redis-'));
  let child: ChildProcess | undefined;

  async function start() {
    if (child) return;
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    args.push('--enable-debug-command', 'local', '--loglevel', 'warning', '--daemonize', 'no');
    const started = spawn(binary, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child = started;
    started.once('exit', () => {
      if (child === started) child = undefined;
    });
    await answering(port, Date.now() + 10_000);
  }

  async function stop() {
    const running = child;
    if (!running) return;
    child = undefined;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async restart() {
      await stop();
      await start();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
