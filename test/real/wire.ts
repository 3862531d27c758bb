// Helpers of the real-server tier: the BUILT package, and a fetch that validates every answer a
// real site gives against openapi.yaml with the validator the mock conformance tests use.
import { existsSync } from 'node:fs';
import { afterAll, afterEach } from 'vitest';
import { ROOT, validateExchange } from '../support/contract.js';

type Built = typeof import('../../src/node.js');
type BuiltCookieJar = typeof import('../../src/cookie-jar.js');

/** `dist/node.js` and `dist/cookie-jar.js`, as a user's `import 'authwire'` gets them in Node. */
export async function builtPackage(): Promise<Built & BuiltCookieJar> {
  for (const entry of ['node.js', 'cookie-jar.js'])
    if (!existsSync(`${ROOT}dist/${entry}`))
      throw new Error(`dist/${entry} is missing: build the package first (\`npm run build\`; \`npm test\` builds before vitest runs).`);
  const node = (await import(/* @vite-ignore */ `${ROOT}dist/node.js`)) as Built;
  const jar = (await import(/* @vite-ignore */ `${ROOT}dist/cookie-jar.js`)) as BuiltCookieJar;
  return { ...node, ...jar };
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
    const result = await validateExchange({ method: request.method, url: request.url }, response);
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
