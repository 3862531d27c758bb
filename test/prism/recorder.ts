// A fetch for the SDK's `fetch` option: it records every exchange with Prism (request and response
// headers, status, body) and scopes the `Prefer` header to one operation.
import type { Operation } from './contract.js';

export interface Exchange {
  method: string;
  path: string;
  search: string;
  request: Headers;
  status: number;
  response: Headers;
  body: string;
}

/**
 * Prism reports a request violation with an `sl-violations` header (when the contract has an
 * error answer to send) or answers with its own `application/problem+json` error (422, 415, 406, or
 * 404/500 when `Prefer` asks for something undocumented).
 */
export const violation = (e: Exchange): string | undefined =>
  e.response.get('sl-violations') ??
  (e.response.get('content-type')?.startsWith('application/problem+json') ? e.body : undefined);

export function recorder() {
  let exchanges: Exchange[] = [];
  let total = 0;
  let target: { op: Operation; accept: string | undefined } | undefined;
  let injected: { op: Operation; prefer: string } | undefined;

  const targets = (op: Operation, method: string, path: string) => op.method === method && op.pattern.test(path);

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    // A call such as login makes several requests; `Prefer` must reach only the one under test
    // (Prism answers 500 when the named example does not exist on the other operation).
    if (target && targets(target.op, method, url.pathname)) {
      // The real servers send these bodies whatever Accept says; Prism negotiates by Accept.
      if (target.accept) headers.set('accept', target.accept);
    } else if (target) headers.delete('prefer');
    if (injected && targets(injected.op, method, url.pathname)) headers.set('prefer', injected.prefer);
    const res = await globalThis.fetch(input, { ...init, headers });
    total++;
    exchanges.push({
      method,
      path: url.pathname,
      search: url.search,
      request: headers,
      status: res.status,
      response: res.headers,
      body: await res.clone().text(),
    });
    return res;
  };

  return {
    fetch,
    /** Requests sent since the start. */
    total: () => total,
    /** Lets `Prefer` through only on requests of `op`, with `accept` as their Accept header when given. */
    only(op: Operation, accept?: string) {
      target = { op, accept };
    },
    /**
     * Sends `prefer` on requests of `op` from the harness itself: for the rare call whose two
     * requests each need a chosen answer (a cookie login, then its refused verification).
     */
    inject(op: Operation, prefer: string) {
      injected = { op, prefer };
    },
    /** Exchanges since the last take(); resets the scope and injection. */
    take(): Exchange[] {
      const taken = exchanges;
      exchanges = [];
      target = undefined;
      injected = undefined;
      return taken;
    },
    /** Exchanges so far (not reset). */
    seen: () => exchanges,
    of: (op: Operation) => exchanges.filter((e) => targets(op, e.method, e.path)),
  };
}

export type Recorder = ReturnType<typeof recorder>;
