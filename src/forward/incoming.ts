import type { IncomingHeaders, IncomingRequest } from '../types.js';

/** The headers of an incoming request that can carry a user's credential. */
export interface IncomingCredentials {
  cookie: string;
  authorization: string | undefined;
  apiToken: string | undefined;
}

const isHeaders = (value: unknown): value is Headers => typeof (value as Headers | undefined)?.get === 'function';

/** `incoming` itself when it is headers; its `headers` when it is a `Request` or an `IncomingMessage`. */
function headersOf(incoming: IncomingRequest): IncomingHeaders | undefined {
  if (typeof incoming !== 'object' || incoming === null) return undefined;
  if (isHeaders(incoming)) return incoming;
  const inner = (incoming as { headers?: unknown }).headers;
  // Node lower-cases header names and keeps values as strings, so an object here is a request's headers.
  return typeof inner === 'object' && inner !== null ? (inner as IncomingHeaders) : (incoming as IncomingHeaders);
}

/** One header's value; repeated ones (Node keeps `cookie` lines apart over HTTP/2) joined as fetch would. */
function read(headers: IncomingHeaders, name: string, separator: string): string | undefined {
  const value = isHeaders(headers) ? headers.get(name) : headers[name];
  if (Array.isArray(value)) return value.length ? value.join(separator) : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The credential-carrying headers of `incoming`, or `undefined` when it is none of the accepted shapes. */
export function readIncoming(incoming: IncomingRequest): IncomingCredentials | undefined {
  const headers = headersOf(incoming);
  if (!headers) return undefined;
  return {
    cookie: read(headers, 'cookie', '; ') ?? '',
    authorization: read(headers, 'authorization', ', '),
    apiToken: read(headers, 'x-api-token', ', '),
  };
}

/** A `Cookie` header's pairs in order, the first of each name (browsers send the most specific path first). */
export function parseCookies(header: string): [string, string][] {
  const pairs = new Map<string, string>();
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 1) continue;
    const name = part.slice(0, at).trim();
    if (name && !pairs.has(name)) pairs.set(name, part.slice(at + 1).trim());
  }
  return [...pairs];
}
