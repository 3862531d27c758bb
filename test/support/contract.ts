// The contract as the tests see it, and a validator that checks one HTTP exchange against it.
//
// `loadContract()` parses openapi.yaml with `yaml` (fast, synchronous: every test file that uses
// msw loads it). test/contract/contract.test.ts proves that this equals what Redocly's bundler
// produces (`bundleContract()`), so the validator checks against the bundled contract; if the
// contract is ever split into several files, that test fails and this loader must bundle instead.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { afterAll, afterEach } from 'vitest';
import { parse } from 'yaml';

export const CONTRACT_FILE = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** An OpenAPI object as parsed JSON: every field is looked at, so none is trusted. */
export type Json = Record<string, unknown>;

export interface ContractOperation {
  /** Upper case, as in a Request. */
  method: string;
  /** The contract path, e.g. `/api/auth/api-key/{id}`. */
  path: string;
  tag: string;
  operationId: string;
  /** The operation object. */
  operation: Json;
  /** JSON pointer of the operation in the document. */
  pointer: string;
}

export interface Contract {
  document: Json;
  operations: ContractOperation[];
  /** The operation a request's method and URL path reach, and the base path in front of it. */
  find(method: string, pathname: string): { operation: ContractOperation; basePath: string } | undefined;
  /** The response object declared for a status (`$ref` resolved), with its JSON pointer. */
  response(operation: ContractOperation, status: number): { response: Json; pointer: string } | undefined;
  /** A compiled validator for the JSON Schema at a pointer of the document. */
  schema(pointer: string): ValidateFunction;
}

export const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const pointerOf = (...segments: string[]) => `#/${segments.map(escape).join('/')}`;

/** Follows local `$ref`s (`#/…`) inside the document; returns the target and its pointer. */
export function resolve(document: Json, node: unknown, pointer: string): { node: unknown; pointer: string } {
  let current = node;
  let at = pointer;
  for (let hops = 0; isJson(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 20 || !current.$ref.startsWith('#/')) throw new Error(`Unresolvable $ref ${String(current.$ref)} at ${at}`);
    at = current.$ref;
    current = at
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((n, key) => (isJson(n) || Array.isArray(n) ? (n as Json)[key] : undefined), document);
  }
  return { node: current, pointer: at };
}

const templateRegex = (path: string) =>
  new RegExp(`^(.*?)${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`);

/** Builds the contract view of a parsed document. */
export function contractOf(document: Json): Contract {
  const operations: ContractOperation[] = [];
  const paths = isJson(document.paths) ? document.paths : {};
  const groups = Array.isArray(document['x-tagGroups']) ? document['x-tagGroups'].filter(isJson) : [];
  // Operations carry topic tags; the platform is the tag group holding the tag.
  const platformOf = (tag: unknown) =>
    String(groups.find((group) => Array.isArray(group.tags) && group.tags.includes(tag))?.name ?? '');
  for (const [path, item] of Object.entries(paths)) {
    if (!isJson(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isJson(operation)) continue;
      const tags = Array.isArray(operation.tags) ? operation.tags : [];
      operations.push({
        method: method.toUpperCase(),
        path,
        tag: platformOf(tags[0]),
        operationId: String(operation.operationId ?? `${method} ${path}`),
        operation,
        pointer: pointerOf('paths', path, method),
      });
    }
  }
  // Literal paths before templated ones, then the longest: `/a/_search` wins over `/a/{id}`.
  const byPriority = [...operations].sort(
    (a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0) || b.path.length - a.path.length,
  );
  const matchers = byPriority.map((operation) => ({ operation, regex: templateRegex(operation.path) }));

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  formats.default(ajv);
  // `format: password` only tells UIs to mask the field.
  ajv.addFormat('password', true);
  ajv.addSchema(document, 'contract');
  const compiled = new Map<string, ValidateFunction>();

  return {
    document,
    operations,
    find(method, pathname) {
      for (const { operation, regex } of matchers) {
        if (operation.method !== method.toUpperCase()) continue;
        const basePath = regex.exec(pathname)?.[1];
        if (basePath !== undefined && (basePath === '' || basePath.startsWith('/'))) return { operation, basePath };
      }
      return undefined;
    },
    response(operation, status) {
      const responses = isJson(operation.operation.responses) ? operation.operation.responses : {};
      const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
      if (key === undefined) return undefined;
      const found = resolve(document, responses[key], `${operation.pointer}/responses/${escape(key)}`);
      return isJson(found.node) ? { response: found.node, pointer: found.pointer } : undefined;
    },
    schema(pointer) {
      let validate = compiled.get(pointer);
      if (!validate) {
        validate = ajv.getSchema(`contract${pointer}`);
        if (!validate) throw new Error(`No schema at ${pointer}`);
        compiled.set(pointer, validate);
      }
      return validate;
    },
  };
}

let loaded: Contract | undefined;
/** The contract in openapi.yaml (parsed once per test file). */
export function loadContract(): Contract {
  loaded ??= contractOf(parse(readFileSync(CONTRACT_FILE, 'utf8'), { maxAliasCount: -1 }) as Json);
  return loaded;
}

/** The contract as `redocly bundle` produces it (the published form), parsed. */
export async function bundleContract(file = CONTRACT_FILE): Promise<Json> {
  const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'bundle', file, '--ext', 'json'], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Json;
}

/** Headers any HTTP answer may carry without the contract naming them. */
const GENERIC_HEADER = /^(content-type|content-length|date|vary|allow|access-control-.*)$/;
const JSON_MEDIA = /^application\/(.+\+)?json$/;

export interface Validation {
  operation?: ContractOperation;
  /** What is wrong with the exchange; empty when it conforms. */
  problems: string[];
}

/**
 * Checks a response against the contract operation its request reaches: declared status,
 * declared media type (or no body where none is declared; an empty 200 without Content-Type only
 * on `x-authwire-empty-200` operations), the body against its schema, and every header either
 * declared for that response or generic. `baseUrl` (a mock's) is stripped from the URL when given;
 * otherwise any base path in front of a contract path is accepted, as the servers' `basePath`
 * variables allow. Reads a clone: the response stays usable.
 */
export async function validateExchange(
  request: { method: string; url: string },
  response: Response,
  options: { baseUrl?: string; contract?: Contract } = {},
): Promise<Validation> {
  const contract = options.contract ?? loadContract();
  const url = new URL(request.url);
  let pathname = url.pathname;
  if (options.baseUrl !== undefined) {
    const base = new URL(options.baseUrl);
    const prefix = base.pathname.replace(/\/$/, '');
    if (url.origin !== base.origin || !(pathname === prefix || pathname.startsWith(`${prefix}/`)))
      return { problems: [`${request.method} ${request.url}: not below the mock's base URL ${options.baseUrl}`] };
    pathname = pathname.slice(prefix.length) || '/';
  }
  const found = contract.find(request.method, pathname);
  const label = `${request.method} ${url.pathname} → ${response.status}`;
  if (!found || (options.baseUrl !== undefined && found.basePath !== ''))
    return { problems: [`${label}: no contract operation for ${request.method} ${pathname}`] };
  const { operation } = found;
  const problems: string[] = [];
  const problem = (text: string) => problems.push(`${label} (${operation.operationId}): ${text}`);

  const declared = contract.response(operation, response.status);
  if (!declared) {
    const statuses = Object.keys(isJson(operation.operation.responses) ? operation.operation.responses : {});
    problem(`status ${response.status} is not declared (declared: ${statuses.join(', ')})`);
    return { operation, problems };
  }

  const headers = isJson(declared.response.headers) ? declared.response.headers : {};
  const declaredHeaders = new Map(Object.keys(headers).map((name) => [name.toLowerCase(), name]));
  for (const name of new Set(response.headers.keys())) {
    if (GENERIC_HEADER.test(name)) continue;
    const key = declaredHeaders.get(name);
    if (key === undefined) {
      problem(`header ${name} is not declared for this response`);
      continue;
    }
    const header = resolve(contract.document, headers[key], `${declared.pointer}/headers/${escape(key)}`);
    if (!isJson(header.node) || !isJson(header.node.schema)) continue;
    const validate = contract.schema(`${header.pointer}/schema`);
    const values = name === 'set-cookie' ? response.headers.getSetCookie() : [response.headers.get(name) ?? ''];
    for (const value of values)
      if (!validate(value)) problem(`header ${name} value ${JSON.stringify(value)}: ${formatErrors(validate)}`);
  }

  let text: string;
  try {
    text = await response.clone().text();
  } catch (error) {
    problem(`the body could not be read (${String(error)})`);
    return { operation, problems };
  }
  const content = isJson(declared.response.content) ? declared.response.content : {};
  const mediaTypes = Object.keys(content);
  const contentType = response.headers.get('content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();

  if (text === '') {
    const emptyOk =
      mediaTypes.length === 0 ||
      (response.status === 200 && !contentType && operation.operation['x-authwire-empty-200'] !== undefined);
    if (!emptyOk) problem(`empty body, but the contract declares ${mediaTypes.join(', ')}`);
    if (mediaTypes.length === 0 && contentType) problem(`Content-Type ${contentType} on a response that declares no content`);
    return { operation, problems };
  }
  if (mediaTypes.length === 0) {
    problem(`a body (${JSON.stringify(text.slice(0, 80))}), but the contract declares no content`);
    return { operation, problems };
  }
  if (!mediaType || !(mediaType in content)) {
    problem(`Content-Type ${contentType ?? '(none)'} is not declared (declared: ${mediaTypes.join(', ')})`);
    return { operation, problems };
  }
  let body: unknown = text;
  if (JSON_MEDIA.test(mediaType)) {
    try {
      body = JSON.parse(text);
    } catch {
      problem(`the ${mediaType} body is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
      return { operation, problems };
    }
  }
  const media = content[mediaType];
  if (isJson(media) && media.schema !== undefined) {
    const validate = contract.schema(`${declared.pointer}/content/${escape(mediaType)}/schema`);
    if (!validate(body)) problem(`body ${JSON.stringify(body).slice(0, 200)}: ${formatErrors(validate)}`);
  }
  return { operation, problems };
}

const formatErrors = (validate: ValidateFunction) =>
  (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ');

/** What `recorder()` needs of a mock: its base URL and its request handler. */
export interface HandlesRequests {
  readonly baseUrl: string;
  handle(request: Request): Promise<Response>;
}

export interface Recorder {
  /** Contract problems of every answer sent so far. */
  readonly problems: string[];
  /** `operationId status` of every answer so far. */
  readonly covered: Set<string>;
  /** Answers validated so far. */
  readonly validated: number;
  /** Sends a request straight to a mock's `handle` and validates the answer. */
  send(mock: HandlesRequests, method: string, path: string, init?: RequestInit): Promise<Response>;
}

/** Drives mocks without msw, validating every answer (for tests that call `mock.handle`). */
export function recorder(): Recorder {
  const problems: string[] = [];
  const covered = new Set<string>();
  let validated = 0;
  return {
    problems,
    covered,
    get validated() {
      return validated;
    },
    async send(mock, method, path, init = {}) {
      const request = new Request(mock.baseUrl + path, { ...init, method });
      const response = await mock.handle(request);
      const result = await validateExchange(request, response, { baseUrl: mock.baseUrl });
      validated++;
      problems.push(...result.problems);
      if (result.operation) covered.add(`${result.operation.operationId} ${response.status}`);
      return response;
    },
  };
}

/** A recorder for the current file or describe block: a test whose answers break the contract fails. */
export function useRecorder(): Recorder {
  const rec = recorder();
  afterEach(() => {
    const problems = rec.problems.splice(0);
    if (problems.length) throw new Error(`${problems.length} mock answer(s) break openapi.yaml:\n- ${problems.join('\n- ')}`);
  });
  afterAll(() => console.info(`[contract] ${rec.validated} mock answers validated against openapi.yaml`));
  return rec;
}

/** A JSON request body. */
export const jsonBody = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  body: typeof body === 'string' ? body : JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

/** A `Cookie` header with the cookies these answers set (later ones win). */
export function cookieHeader(...responses: Response[]): string {
  const jar = new Map<string, string>();
  for (const response of responses)
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}
