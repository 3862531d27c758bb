import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformMock } from '../mocks/mock.js';

/** A platform mock listening on a real socket. */
export interface Emulator {
  /** `http://127.0.0.1:<port>` plus the mock's base path. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Where `serve` listens, and extra routes. */
export interface ServeOptions {
  /**
   * The port; 0 takes a free one.
   * @default 0
   */
  port?: number;
  /**
   * The address to listen on; loopback, so nothing outside this machine can reach it.
   * @default '127.0.0.1'
   */
  host?: string;
  /** Extra routes served before the platform's (for example a test page). */
  extra?: (request: IncomingMessage, response: ServerResponse) => boolean;
}

async function readBody(request: IncomingMessage): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length ? new Uint8Array(Buffer.concat(chunks)) : undefined;
}

/**
 * Serves a platform mock over real HTTP: real sockets, real `Set-Cookie` headers and the
 * platform's CORS answers, so cookies, CORS and CSRF behave as they do in front of the real server.
 */
export function serve(mock: PlatformMock<unknown>, options: ServeOptions = {}): Promise<Emulator> {
  const basePath = new URL(mock.baseUrl).pathname.replace(/\/$/, '');
  const server = createServer(async (req, res) => {
    try {
      if (options.extra?.(req, res)) return;
      const host = req.headers.host ?? '127.0.0.1';
      const url = `http://${host}${req.url ?? '/'}`;
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
      const request = new Request(url, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) });
      const cors = mock.cors(request);
      const answer = cors.preflight ?? (await mock.handle(request));
      if (answer.type === 'error') {
        res.socket?.destroy();
        return;
      }
      // A preflight answer already carries the platform's CORS headers; sending them twice makes browsers refuse it.
      const out: [string, string][] = cors.preflight ? [] : [...cors.headers];
      answer.headers.forEach((value, name) => {
        if (name !== 'set-cookie') out.push([name, value]);
      });
      for (const cookie of answer.headers.getSetCookie()) out.push(['set-cookie', cookie]);
      res.writeHead(answer.status, out.flat());
      if (answer.body) {
        const reader = answer.body.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            res.write(value);
          }
        } catch {
          res.socket?.destroy();
          return;
        }
      }
      res.end();
    } catch {
      res.socket?.destroy();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host ?? '127.0.0.1';
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${basePath}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
