/**
 * openapi-fetch's `Request` option for `createApi`: what openapi-fetch builds per call, kept as the
 * fields the pipeline reads. The pipeline builds the request that travels, so a platform `Request`
 * here would be built — and would follow a signal, the costliest part of a stubbed exchange in
 * Node — for nothing. Once middleware is registered (`api.use`), `real()` turns true and every call
 * gets a platform `Request`, as middleware expects; a `Request` middleware returns passes the
 * `instanceof` check openapi-fetch makes either way.
 */
/** The fields of a request the `createApi` fetch seam reads, on a draft or a platform `Request`. */
export type Drafted = Pick<Request, 'method' | 'url' | 'headers'> & { body: BodyInit | null | undefined; signal?: AbortSignal | undefined };

export function draftRequests(real: () => boolean): typeof Request {
  class Draft {
    readonly method: string;
    readonly headers: Headers;
    readonly body: BodyInit | null | undefined;
    readonly signal: AbortSignal | undefined;
    constructor(
      readonly url: string,
      init: RequestInit = {},
    ) {
      this.method = init.method ?? 'GET';
      this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
      this.body = init.body;
      this.signal = init.signal ?? undefined;
      if (real()) return new Request(url, init) as unknown as Draft;
    }
    static [Symbol.hasInstance](value: unknown) {
      return value instanceof Request || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Draft.prototype);
    }
  }
  return Draft as unknown as typeof Request;
}
