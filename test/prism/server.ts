// Starts `prism mock` on 127.0.0.1 with a port of the OS's choosing and keeps its log.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url));
const STARTUP_MS = 60_000;

export interface PrismServer {
  url: string;
  /** Everything Prism printed so far, without colours. */
  log(): string;
  stop(): Promise<void>;
}

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

export async function startPrism(spec: string): Promise<PrismServer> {
  // Its own process group, so stop() ends Prism and anything it started.
  const child = spawn(process.execPath, [CLI, 'mock', spec, '-h', '127.0.0.1', '-p', '0'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let output = '';
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return; // already gone
    }
    await exited;
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`Prism did not start within ${STARTUP_MS} ms:\n${output}`));
    }, STARTUP_MS);
    const read = (chunk: Buffer) => {
      output += plain(chunk.toString());
      const listening = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${code}) before listening:\n${output}`));
    });
  });
  return { url, log: () => output, stop };
}
