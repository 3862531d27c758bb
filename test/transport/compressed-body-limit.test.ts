// The 1 MiB body limit holds for what the SDK decodes, not for what the server declares: fetch
// decompresses gzip and keeps the compressed Content-Length, so a small declared length can carry
// a body many times the limit (a zip bomb from a hostile or broken proxy).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidResponseError, coco } from '../../src/node.js';

const DECODED_BYTES = 8 << 20;
const body = gzipSync(JSON.stringify({ id: 'u1', name: 'x'.repeat(DECODED_BYTES) }));

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a gzip body whose Content-Length is within the limit but whose content is not', () => {
  it('is refused like any other oversized body', async () => {
    expect(body.length).toBeLessThan(1 << 20);
    const client = coco({ baseUrl, apiKey: 'bench-key-0123456789' });
    // A summary, not the 8 MiB user, so a failure prints a readable message.
    const outcome = await client.profile().then(
      (user) => `resolved with ${JSON.stringify(user).length} bytes`,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(InvalidResponseError);
  });
});
