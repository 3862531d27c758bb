/**
 * A fetch that keeps a copy of every request it is given and then answers with `answer`, or passes
 * the request on to the global fetch (msw or the network).
 */
export function recording(answer?: (request: Request) => Response | Promise<Response>) {
  const sent: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push(request.clone());
    return answer ? answer(request) : globalThis.fetch(request);
  }) as typeof globalThis.fetch;
  /** How many requests went to `path`. */
  const count = (path: string) => sent.filter((r) => new URL(r.url).pathname === path).length;
  return { sent, fetch, count };
}
