// The contract check itself: the validator catches each kind of deviation, accepts every example
// the contract documents, and the msw wiring validates mock answers while exempting declared faults.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockCoco, mockLowcoder } from '../../src/mocks/index.js';
import { isJson, loadContract, resolve, validateExchange, type Json } from '../support/contract.js';
import { checkContract, injectFault, offContract } from '../support/msw.js';

const LOGIN = 'https://lowcoder.test/api/auth/form/login';
const ok = { code: 1, message: '', data: true, success: true };
const problemsOf = async (method: string, url: string, response: Response, baseUrl?: string) =>
  (await validateExchange({ method, url }, response, baseUrl === undefined ? {} : { baseUrl })).problems;

describe('validator', () => {
  it('accepts a conforming answer and leaves it readable', async () => {
    const response = Response.json(ok, { headers: { 'set-cookie': 'LOWCODER_CE_SELFHOST_TOKEN=x; Path=/' } });
    expect(await problemsOf('POST', LOGIN, response)).toEqual([]);
    expect(await response.json()).toEqual(ok);
  });

  it('finds templated paths, literal paths first, below any base path', () => {
    const contract = loadContract();
    expect(contract.find('PUT', '/auth/access_token/abc')?.operation.operationId).toBe('cocoUpdateApiToken');
    expect(contract.find('GET', '/auth/access_token/_search')?.operation.operationId).toBe('cocoSearchApiTokens');
    expect(contract.find('GET', '/coco/account/profile')).toMatchObject({ basePath: '/coco', operation: { operationId: 'cocoProfile' } });
    expect(contract.find('GET', '/account/profilex')).toBeUndefined();
    expect(contract.find('DELETE', '/account/profile')).toBeUndefined();
  });

  it('strips a mock base URL exactly', async () => {
    const url = 'https://x.test/prefix/api/auth/form/login';
    expect(await problemsOf('POST', url, Response.json(ok), 'https://x.test/prefix')).toEqual([]);
    expect((await problemsOf('POST', url, Response.json(ok), 'https://x.test/other'))[0]).toMatch(/not below the mock's base URL/);
    expect((await problemsOf('POST', url, Response.json(ok), 'https://x.test'))[0]).toMatch(/no contract operation/);
  });

  it.each([
    ['an unknown operation', 'GET', 'https://lowcoder.test/api/nope', Response.json(ok), /no contract operation/],
    ['an undeclared status', 'POST', LOGIN, Response.json(ok, { status: 418 }), /status 418 is not declared/],
    ['an undeclared header', 'POST', LOGIN, Response.json(ok, { headers: { 'x-extra': '1' } }), /header x-extra is not declared/],
    ['a header declared for another status', 'POST', LOGIN, Response.json({ code: 5608, message: 'm', success: false }, { status: 403, headers: { 'set-cookie': 'a=b' } }), /header set-cookie is not declared/],
    ['an undeclared media type', 'POST', LOGIN, new Response('<p>hi</p>', { headers: { 'content-type': 'text/html' } }), /Content-Type text\/html is not declared/],
    ['a body without Content-Type', 'POST', LOGIN, new Response(new TextEncoder().encode('{}')), /Content-Type \(none\) is not declared/],
    ['malformed JSON', 'POST', LOGIN, new Response('{"code":1,', { headers: { 'content-type': 'application/json' } }), /is not JSON/],
    ['a schema violation', 'POST', LOGIN, Response.json({ ...ok, data: 'yes' }), /body .*\/data must be boolean/],
    ['a missing required field', 'POST', LOGIN, Response.json({ code: 1, message: '' }), /must have required property 'success'/],
    ['an empty body where content is declared', 'POST', LOGIN, new Response(null, { status: 403 }), /empty body, but the contract declares application\/json/],
    ['an empty 200 on an operation without x-authwire-empty-200', 'GET', 'https://lowcoder.test/api/configs', new Response(null), /empty body/],
    ['an empty 200 with a Content-Type', 'GET', 'https://lowcoder.test/api/auth/api-keys', new Response(null, { headers: { 'content-type': 'application/json' } }), /empty body/],
    ['a body where none is declared', 'POST', 'https://lowcoder.test/api/auth/api-key', new Response('nope', { status: 401 }), /declares no content/],
    ['a Content-Type where no content is declared', 'POST', 'https://apostrophe.test/api/v1/@apostrophecms/login/logout', new Response(null, { headers: { 'content-type': 'application/json' } }), /declares no content/],
    ['a const violation', 'GET', 'https://coco.test/account/logout', Response.json({ status: 'fine' }), /\/status must be equal to constant/],
  ])('reports %s', async (_, method, url, response, expected) => {
    const problems = await problemsOf(method, url, response);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('allows an empty 200 without Content-Type where the contract says so', async () => {
    expect(await problemsOf('GET', 'https://lowcoder.test/api/auth/api-keys', new Response(null))).toEqual([]);
    expect(await problemsOf('GET', 'https://lowcoder.test/api/users/currentUser', new Response(null))).toEqual([]);
  });

  it('checks text bodies as strings and ignores media type parameters', async () => {
    const html = new Response('<!DOCTYPE html><p>x</p>', { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' } });
    expect(await problemsOf('POST', 'https://apostrophe.test/api/v1/@apostrophecms/login/login', html)).toEqual([]);
    const plain = new Response('{"error":{"status":500,"reason":"x"}}', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(await problemsOf('POST', 'https://coco.test/setup/_initialize', plain)).toEqual([]);
  });

  // Every documented example, sent as an answer with its declared headers' examples, passes: the
  // validator reads the contract the way its authors (and Redocly's example lint) do.
  it('accepts every example documented in the contract', async () => {
    const contract = loadContract();
    let checked = 0;
    for (const op of contract.operations) {
      const responses = isJson(op.operation.responses) ? op.operation.responses : {};
      for (const status of Object.keys(responses)) {
        const declared = contract.response(op, Number(status));
        if (!declared) throw new Error(`${op.operationId} ${status} unresolved`);
        const headers = new Headers();
        for (const [name, header] of Object.entries(isJson(declared.response.headers) ? declared.response.headers : {})) {
          const object = resolve(contract.document, header, '').node;
          if (isJson(object) && typeof object.example === 'string') headers.append(name, object.example);
        }
        const content = isJson(declared.response.content) ? declared.response.content : {};
        const bodies: [string | null, string | undefined][] = Object.keys(content).length ? [] : [[null, undefined]];
        for (const [type, media] of Object.entries(content)) {
          const m = media as Json;
          const examples = 'example' in m ? [m.example] : Object.values(isJson(m.examples) ? m.examples : {}).map((e) => (e as Json).value);
          for (const example of examples) bodies.push([typeof example === 'string' ? example : JSON.stringify(example), type]);
        }
        for (const [body, type] of bodies) {
          const h = new Headers(headers);
          if (type) h.set('content-type', type);
          const path = op.path.replace(/\{\w+\}/g, 'x1');
          const problems = await problemsOf(op.method, `https://h.test${path}`, new Response(body, { status: Number(status), headers: h }));
          expect(problems, `${op.operationId} ${status} ${type ?? ''}`).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('msw wiring', () => {
  const server = setupServer();
  const check = checkContract(server);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('validates mock answers and reports off-contract ones', async () => {
    const mock = mockLowcoder();
    server.use(...mock.handlers);
    await fetch(LOGIN, { method: 'POST', body: JSON.stringify({ loginId: 'ada@example.com', password: 'x', source: 'EMAIL' }) });
    await fetch('https://lowcoder.test/api/configs');
    expect(await check.settle()).toEqual([]);
    expect(check.validated).toBe(2);

    // A fault injected behind the check's back is validated, and fails.
    mock.faults.inject({ path: '/api/configs', status: 502 });
    expect((await fetch('https://lowcoder.test/api/configs')).status).toBe(502);
    expect(await check.settle()).toEqual([expect.stringMatching(/lowcoderConfigs\): status 502 is not declared/)]);

    // So is a hand-written handler on a contract path.
    server.use(http.get('https://lowcoder.test/api/configs', () => HttpResponse.text('hello')));
    await fetch('https://lowcoder.test/api/configs');
    expect(await check.settle()).toEqual([expect.stringMatching(/Content-Type text\/plain/)]);
    server.resetHandlers();
  });

  it('exempts exactly the answers a declared fault shapes, also under concurrency', async () => {
    const mock = mockCoco();
    server.use(...mock.handlers);
    const before = { validated: check.validated, exempted: check.exempted };
    injectFault(mock, { path: '/setting/application', body: 'html', times: 2 });
    injectFault(mock, { path: '/setting/application', latency: 20 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => fetch('https://coco.test/setting/application')));
    const types = answers.map((a) => a.headers.get('content-type'));
    expect(types.filter((t) => t?.startsWith('text/html'))).toHaveLength(2);
    expect(await check.settle()).toEqual([]);
    expect(check.exempted - before.exempted).toBe(2);
    // The latency-only fault answered per contract and was checked like the two untouched answers.
    expect(check.validated - before.validated).toBe(3);
    server.resetHandlers();
  });

  it('exempts hand-written handlers marked offContract', async () => {
    const exempted = check.exempted;
    server.use(...offContract(http.get('https://lowcoder.test/api/configs', () => HttpResponse.text('teapot', { status: 418 }))));
    expect((await fetch('https://lowcoder.test/api/configs')).status).toBe(418);
    expect(await check.settle()).toEqual([]);
    expect(check.exempted).toBe(exempted + 1);
    server.resetHandlers();
  });
});
