// A loopback HTTP/1.1 server on raw `node:net` sockets, for answers node:http refuses to write:
// broken or slow status lines and headers, any status number, any bytes. Each request is parsed,
// then handed to a behaviour chosen by the test; requests without one go to a platform mock, so a
// client can sign in normally first. Every connection is closed after its answer.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RawRequest {
  method: string;
  /** Path and query, as sent. */
  target: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The whole request as received, for echoes. */
  text: string;
}

/** Writes an answer (or none) on the socket; may keep it open, write slowly, or destroy it. */
export type Behaviour = (request: RawRequest, socket: Socket) => unknown;

export interface RawServer {
  origin: string;
  /** Requests received, in order. */
  requests: RawRequest[];
  /** The behaviour of requests without one: the mock answers. */
  pass: Behaviour;
  /** The mock's answer to a request (for behaviours that alter it). */
  answer(request: RawRequest): Promise<Response>;
  /** Values of the cookies the mock set (session cookies are credentials). */
  issued: Set<string>;
  close(): Promise<void>;
}

/** Serialises a fetch `Response` (a mock's answer) as raw HTTP/1.1 with `connection: close`. */
export async function writeResponse(socket: Socket, response: Response) {
  const body = Buffer.from(await response.arrayBuffer());
  const lines = [`HTTP/1.1 ${response.status} ${response.statusText || 'X'}`];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && name !== 'content-length' && name !== 'connection' && name !== 'transfer-encoding') lines.push(`${name}: ${value}`);
  });
  for (const cookie of response.headers.getSetCookie()) lines.push(`set-cookie: ${cookie}`);
  lines.push(`content-length: ${body.length}`, 'connection: close');
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
}

function parse(buffer: Buffer): RawRequest | undefined {
  const end = buffer.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [line = '', ...fields] = buffer.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    const name = field.slice(0, colon).trim().toLowerCase();
    headers[name] = headers[name] === undefined ? field.slice(colon + 1).trim() : `${headers[name]}, ${field.slice(colon + 1).trim()}`;
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buffer.length < end + 4 + length) return undefined;
  const [method = 'GET', target = '/'] = line.split(' ');
  const body = buffer.subarray(end + 4, end + 4 + length);
  return { method, target, headers, body, text: buffer.subarray(0, end + 4 + length).toString('utf8') };
}

/**
 * Starts the server. `route` picks the behaviour of a request (undefined: the mock answers it
 * through `handle`).
 */
export async function startRawServer(
  route: (request: RawRequest) => Behaviour | undefined,
  handle: (request: Request) => Promise<Response>,
): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  let origin = '';
  const issued = new Set<string>();
  const answerOf = (request: RawRequest) => {
    const { 'content-length': _, connection: __, host: ___, ...headers } = request.headers;
    const method = request.method;
    return handle(new Request(`${origin}${request.target}`, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: new Uint8Array(request.body) }) }));
  };
  const pass: Behaviour = async (request, socket) => {
    const answer = await answerOf(request);
    for (const line of answer.headers.getSetCookie()) issued.add(line.slice(line.indexOf('=') + 1).split(';')[0]!);
    if (answer.type === 'error') socket.destroy();
    else await writeResponse(socket, answer);
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    let taken = false;
    socket.on('data', async (chunk: Buffer) => {
      if (taken) return;
      buffer = Buffer.concat([buffer, chunk]);
      const request = parse(buffer);
      if (!request) return;
      taken = true;
      requests.push(request);
      try {
        await (route(request) ?? pass)(request, socket);
      } catch {
        socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    pass,
    answer: answerOf,
    issued,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
