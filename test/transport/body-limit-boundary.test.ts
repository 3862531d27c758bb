// The 1 MiB body limit at its edge, counted while streaming: a body of exactly 1 MiB is read, one
// byte more is refused, whether or not the server declares a Content-Length.
import { describe, expect, it } from 'vitest';
import { InvalidResponseError, coco } from '../../src/node.js';

const LIMIT = 1 << 20;

/** A profile answer of exactly `size` bytes of JSON. */
function profileOf(size: number) {
  const empty = JSON.stringify({ id: 'u1', name: '' });
  return JSON.stringify({ id: 'u1', name: 'x'.repeat(size - empty.length) });
}

/** Streams `text` in 64 KiB chunks, with or without a Content-Length. */
function answer(text: string, declared: boolean) {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, (offset += 64 << 10)));
    },
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (declared) headers['content-length'] = String(bytes.length);
  return new Response(body, { headers });
}

const profile = (text: string, declared: boolean) =>
  coco({ baseUrl: 'https://coco.test', apiKey: 'limit-key-0123', maxRetries: 0, fetch: async () => answer(text, declared) })
    .profile()
    .then((user) => `resolved with a name of ${(user as { name: string }).name.length} characters`, (error: unknown) => error);

describe.each([false, true])('a streamed body, Content-Length declared: %s', (declared) => {
  it('of exactly 1 MiB is read', async () => {
    const text = profileOf(LIMIT);
    expect(new TextEncoder().encode(text).length).toBe(LIMIT);
    expect(await profile(text, declared)).toBe(`resolved with a name of ${LIMIT - 21} characters`);
  });

  it('of 1 MiB and one byte is refused', async () => {
    expect(await profile(profileOf(LIMIT + 1), declared)).toBeInstanceOf(InvalidResponseError);
  });
});
