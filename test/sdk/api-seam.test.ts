// `createApi`'s seam with openapi-fetch: without middleware openapi-fetch gets drafts (no platform
// Request is built twice) and answers whose readers serve the bytes the pipeline read; with
// middleware (`api.use`) it gets platform Requests, and everything middleware may do still works.
import { describe, expect, it } from 'vitest';
import { createApi } from '../../src/api.js';
import { coco } from '../../src/node.js';

const PROFILE = { id: 'u1', name: 'admin', email: 'a@example.com', preferences: {}, permissions: [] };

function recorded() {
  const sent: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push(request);
    return Response.json(PROFILE);
  }) as typeof globalThis.fetch;
  const api = createApi(coco({ baseUrl: 'https://coco.test', apiKey: 'k-1', fetch }));
  return { api, sent };
}

describe('createApi seam', () => {
  it('reads the answer with every parseAs, and a clone reads it again', async () => {
    const { api } = recorded();
    expect((await api.GET('/account/profile')).data).toEqual(PROFILE);
    expect(await (await api.GET('/account/profile', { parseAs: 'text' })).data).toBe(JSON.stringify(PROFILE));
    const buffer = (await api.GET('/account/profile', { parseAs: 'arrayBuffer' })).data as ArrayBuffer;
    expect(new TextDecoder().decode(buffer)).toBe(JSON.stringify(PROFILE));
    const blob = (await api.GET('/account/profile', { parseAs: 'blob' })).data as Blob;
    expect(JSON.parse(await blob.text())).toEqual(PROFILE);
    const stream = (await api.GET('/account/profile', { parseAs: 'stream' })).data as ReadableStream;
    expect(JSON.parse(await new Response(stream).text())).toEqual(PROFILE);
    const { response } = await api.GET('/account/profile');
    expect(await response.clone().json()).toEqual(PROFILE);
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(response.status).toBe(200);
  });

  it('gives every reader its own parsed value: changing `data` changes no clone', async () => {
    const { api } = recorded();
    const { data, response } = await api.GET('/account/profile');
    const copy = response.clone();
    (data as { name: string }).name = 'changed';
    expect(await copy.json()).toEqual(PROFILE);
    expect(await response.json()).toEqual(PROFILE);
  });

  it('a per-call baseUrl that is no URL is a ConfigurationError that does not quote it', async () => {
    const { api } = recorded();
    const error = await api.GET('/account/profile', { baseUrl: 'not a url k-secret-9' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigurationError', operation: 'createApi' });
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('k-secret-9');
  });

  it('a header no request can carry is a ConfigurationError naming it, never quoting its value, and nothing is sent', async () => {
    const { api, sent } = recorded();
    const inits = [
      { headers: { 'x-note': 'a\r\nX-Injected: 1 tok-secret' } },
      { headers: { 'x-note': 'ł tok-secret' } },
      { headers: { 'x-note': ['fine', 'a\nb tok-secret'] } },
      { headers: [['x-note', 'a\0b tok-secret']] },
      { params: { header: { 'x-note': 'a\nb tok-secret' } } },
      { headers: { 'x note': 'tok-secret' } },
    ];
    for (const init of inits) {
      const error = await api.GET('/account/profile', init as never).catch((e: unknown) => e);
      expect(error, JSON.stringify(init)).toMatchObject({ name: 'ConfigurationError', message: expect.stringMatching(/x.note/) });
      const { message, stack } = error as Error;
      expect(`${JSON.stringify(error)} ${message} ${stack}`).not.toContain('tok-secret');
    }
    const viaRequest = await api.request('get', '/account/profile', { headers: { 'x-note': 'a\nb tok-secret' } } as never).catch((e: unknown) => e);
    expect(viaRequest).toMatchObject({ name: 'ConfigurationError', operation: 'GET /account/profile' });
    expect(sent).toHaveLength(0);
    // A valid header goes through.
    expect((await api.GET('/account/profile', { headers: { 'x-note': ['fine', 'also fine'] } })).data).toEqual(PROFILE);
    expect(sent.at(-1)!.headers.get('x-note')).toBe('fine, also fine');
  });

  it('passes the caller signal through: an aborted call is a typed AbortedError', async () => {
    const { api } = recorded();
    const controller = new AbortController();
    controller.abort();
    await expect(api.GET('/account/profile', { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortedError' });
  });

  it('sends a JSON body once, as openapi-fetch serialised it', async () => {
    const { api, sent } = recorded();
    await api.POST('/auth/access_token', { body: { name: 'ci' } });
    expect(sent.at(-1)!.method).toBe('POST');
    expect(await sent.at(-1)!.json()).toEqual({ name: 'ci' });
    expect(sent.at(-1)!.headers.get('x-api-token')).toBe('k-1');
  });

  it('with middleware: onRequest sees a platform Request, may change it or return a new one', async () => {
    const { api, sent } = recorded();
    const seen: unknown[] = [];
    api.use({
      onRequest({ request }) {
        seen.push(request instanceof Request);
        if (request.method === 'POST') return new Request(request, { headers: { 'x-replaced': '1' } });
        request.headers.set('x-added', '1');
        return undefined;
      },
    });
    await api.GET('/account/profile');
    expect(sent.at(-1)!.headers.get('x-added')).toBe('1');
    expect(sent.at(-1)!.headers.get('x-api-token')).toBe('k-1');
    await api.POST('/auth/access_token', { body: { name: 'ci' } });
    expect(sent.at(-1)!.headers.get('x-replaced')).toBe('1');
    expect(await sent.at(-1)!.json()).toEqual({ name: 'ci' });
    expect(seen).toEqual([true, true]);
  });
});
