// Helpers of the real-server tier: the BUILT package, and a fetch that validates every answer a
// real site gives against openapi.yaml with the validator the mock conformance tests use.
import { existsSync } from 'node:fs';
import { afterAll, afterEach } from 'vitest';
import { ROOT, validateExchange } from '../support/contract.js';

type Built = typeof import('../../src/node.js');
type BuiltCookieJar = typeof import('../../src/cookie-jar.js');
type BuiltApi = typeof import('../../src/api.js');

/** `dist/node.js` and `dist/cookie-jar.js`, as a user's `import 'authwire'` gets them in Node. */
export async function builtPackage(): Promise<Built & BuiltCookieJar & BuiltApi> {
  for (const entry of ['node.js', 'api.js', 'cookie-jar.js'])
    if (!existsSync(`${ROOT}dist/${entry}`))
      throw new Error(`dist/${entry} is missing: build the package first (\`npm run build\`; \`npm test\` builds before vitest runs).`);
  const node = (await import(/* @vite-ignore */ `${ROOT}dist/node.js`)) as Built;
  const jar = (await import(/* @vite-ignore */ `${ROOT}dist/cookie-jar.js`)) as BuiltCookieJar;
  const api = (await import(/* @vite-ignore */ `${ROOT}dist/api.js`)) as BuiltApi;
  return { ...node, ...jar, ...api };
}

/**
 * Headers of the connection and of Express itself, which every answer of any route carries and the
 * contract leaves out: hop-by-hop `Connection`/`Keep-Alive`/`Transfer-Encoding`, `X-Powered-By:
 * Express`, and the weak `ETag` Express computes for every body.
 */
export const TRANSPORT_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'x-powered-by', 'etag'];

/** A copy of the answer without the transport headers (the body stays readable in the original). */
export function apiHeadersOnly(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const name of TRANSPORT_HEADERS) headers.delete(name);
  return new Response(response.clone().body, { status: response.status, statusText: response.statusText, headers });
}

export interface Exchange {
  request: Request;
  response: Response;
}

export interface ValidatingFetch {
  fetch: typeof globalThis.fetch;
  /** Every exchange so far, in order. */
  readonly exchanges: Exchange[];
  /** Contract problems not yet reported. */
  readonly problems: string[];
  readonly validated: number;
}

/**
 * A fetch to the real site that validates each answer against openapi.yaml. A test file that uses
 * it fails (after each test) when an answer breaks the contract.
 */
export function validatingFetch(label: string): ValidatingFetch {
  const exchanges: Exchange[] = [];
  const problems: string[] = [];
  let validated = 0;
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const response = await globalThis.fetch(request.clone());
    exchanges.push({ request, response: response.clone() });
    const result = await validateExchange({ method: request.method, url: request.url }, apiHeadersOnly(response));
    validated++;
    problems.push(...result.problems);
    return response;
  }) as typeof globalThis.fetch;
  afterEach(() => {
    const found = problems.splice(0);
    if (found.length) throw new Error(`${found.length} real-server answer(s) break openapi.yaml:\n- ${found.join('\n- ')}`);
  });
  afterAll(() => console.info(`[real] ${label}: ${validated} answers of the real site validated against openapi.yaml`));
  return {
    fetch,
    exchanges,
    problems,
    get validated() {
      return validated;
    },
  };
}

/** `METHOD path → status` of each exchange, for asserting the wire sequence. */
export const trace = (exchanges: Exchange[], from = 0) =>
  exchanges.slice(from).map(({ request, response }) => `${request.method} ${new URL(request.url).pathname} → ${response.status}`);
