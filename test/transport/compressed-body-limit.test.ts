// The 1 MiB body limit holds for what the SDK decodes, not for what the server declares: fetch
// decompresses gzip and keeps the compressed Content-Length, so a small declared length can carry
// a body many times the limit (a zip bomb from a hostile or broken proxy).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidResponseError, coco } from '../../src/node.js';

const DECODED_BYTES = 8 << 20;
const json = JSON.stringify({ id: 'u1', name: 'x'.repeat(DECODED_BYTES) });
const gzipped = gzipSync(json);

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': gzipped.length });
    res.end(gzipped);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A summary, not the 8 MiB user, so a failure prints a readable message. */
const settle = (call: Promise<unknown>) =>
  call.then(
    (user) => `resolved with ${JSON.stringify(user).length} bytes`,
    (error: unknown) => error,
  );

describe('a gzip body whose Content-Length is within the limit but whose content is not', () => {
  it('is refused like any other oversized body', async () => {
    expect(gzipped.length).toBeLessThan(1 << 20);
    const client = coco({ baseUrl, apiKey: 'bench-key-0123456789' });
    expect(await settle(client.profile())).toBeInstanceOf(InvalidResponseError);
  });

  it('is refused when Content-Encoding is hidden, as browsers hide it from cross-origin answers', async () => {
    // What a page sees of a cross-origin gzip answer without Access-Control-Expose-Headers:
    // Content-Length is CORS-safelisted and shows the compressed size, Content-Encoding is
    // filtered out, and the body arrives decoded (checked in Chromium 2026-11).
    const client = coco({
      baseUrl: 'https://coco.test',
      apiKey: 'bench-key-0123456789',
      fetch: async () =>
        new Response(json, { headers: { 'content-type': 'application/json', 'content-length': String(gzipped.length) } }),
    });
    expect(await settle(client.profile())).toBeInstanceOf(InvalidResponseError);
  });
});
