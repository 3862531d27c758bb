import type { Received } from './send.js';

/** Auth answers are small; a larger body is a proxy page or an attack, not data. */
export const MAX_BODY_BYTES = 1 << 20;

export class BodyTooLargeError extends Error {}

/**
 * Drops a body without waiting: cancelling a body whose clone is still unread (msw, logging
 * wrappers and service workers clone answers) never settles.
 */
export const discard = (body: ReadableStream | ReadableStreamDefaultReader | null | undefined) =>
  void body?.cancel().catch(() => undefined);

const decoder = new TextDecoder();

/** Reads a whole body, giving up beyond `limit` bytes instead of buffering it all. */
export async function readBytes(res: Response, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const length = res.headers.get('content-length');
  if (Number(length) > limit) {
    discard(res.body);
    throw new BodyTooLargeError();
  }
  // Always counted while reading: fetch decodes compressed bodies but keeps the compressed length,
  // and cross-origin browsers hide Content-Encoding, so the declared length proves nothing.
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      discard(reader);
      throw new BodyTooLargeError();
    }
    chunks.push(value as Uint8Array<ArrayBuffer>);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The parsed JSON value, `undefined` for an empty body, or the raw text when it is not JSON. */
export const bodyOf = (r: Received) => parsedOf(r).value;

/** The body as text (decoded once, shared with `bodyOf`). */
export const textOf = (r: Received) => parsedOf(r).text;

function parsedOf(r: Received) {
  if (r.parsed) return r.parsed;
  const text = decoder.decode(r.bytes);
  let value: unknown;
  if (/\S/.test(text))
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
  return (r.parsed = { value, text });
}
