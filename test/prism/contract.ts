// The contract as data: operations, and every documented response example of each, read from
// openapi.yaml so that a newly documented example shows up as a new test case.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const SPEC_PATH = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

type Node = Record<string, unknown>;

const doc = parse(readFileSync(SPEC_PATH, 'utf8')) as Node;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows a local `$ref` (the contract has no remote ones). */
function deref(value: unknown): Node {
  if (!isNode(value)) throw new Error(`Not an object in the contract: ${JSON.stringify(value)}`);
  const ref = value.$ref;
  if (typeof ref !== 'string') return value;
  let target: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) target = isNode(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return deref(target);
}

const groups = (doc['x-tagGroups'] ?? []) as { name: string; tags: string[] }[];
/** The platform of an operation: the tag group holding its topic tag. */
const platformOf = (tag: string) => groups.find((group) => group.tags.includes(tag))?.name ?? '';

export interface Operation {
  id: string;
  tag: string;
  method: string;
  path: string;
  /** Matches the operation's URL paths (path parameters as one segment). */
  pattern: RegExp;
  responses: Node;
}

export const operations: Operation[] = Object.entries(deref(doc.paths)).flatMap(([path, item]) =>
  METHODS.filter((method) => isNode(deref(item)[method])).map((method) => {
    const op = deref(deref(item)[method]);
    const source = path
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+');
    return {
      id: String(op.operationId),
      tag: platformOf(String((op.tags as string[])[0])),
      method: method.toUpperCase(),
      path,
      pattern: new RegExp(`^${source}$`),
      responses: deref(op.responses),
    };
  }),
);

export const operation = (id: string): Operation => {
  const found = operations.find((op) => op.id === id);
  if (!found) throw new Error(`No operation ${id} in the contract`);
  return found;
};

/** One documented answer: an operation, a status, a media type and an example name where there are several. */
export interface ExampleCase {
  key: string;
  operation: Operation;
  status: number;
  /** Undefined for answers without a body. */
  media?: string;
  /** The name under `examples`; undefined for a single `example` or none. */
  example?: string;
  /** The documented body (undefined when there is none). */
  body: unknown;
  /** `Prefer` that makes Prism answer exactly this. */
  prefer: string;
}

export function examplesOf(op: Operation): ExampleCase[] {
  return Object.entries(op.responses).flatMap(([code, raw]) => {
    const status = Number(code);
    const make = (media: string | undefined, example: string | undefined, body: unknown): ExampleCase => ({
      key: [op.id, code, media === 'application/json' ? undefined : media, example].filter(Boolean).join(' '),
      operation: op,
      status,
      ...(media ? { media } : {}),
      ...(example ? { example } : {}),
      body,
      prefer: example ? `code=${code}, example=${example}` : `code=${code}`,
    });
    const content = deref(raw).content;
    if (!isNode(content)) return [make(undefined, undefined, undefined)];
    return Object.entries(content).flatMap(([media, value]) => {
      const entry = deref(value);
      if (isNode(entry.examples))
        return Object.entries(entry.examples).map(([name, example]) => make(media, name, deref(example).value));
      return [make(media, undefined, entry.example)];
    });
  });
}

/** The documented body of one answer. */
export function exampleBody(id: string, status: number, example?: string): unknown {
  const found = examplesOf(operation(id)).find(
    (c) => c.status === status && c.example === example && (c.media ?? 'application/json') === 'application/json',
  );
  if (!found) throw new Error(`No example ${id} ${status} ${example ?? ''}`);
  return found.body;
}

/** The documented example of a component header (a `Set-Cookie` line, say). */
export const headerExample = (name: string): string => String(deref(deref(deref(doc.components).headers)[name]).example);

/** The request body example of an operation's JSON request. */
export function requestExample(id: string, example?: string): unknown {
  const op = operation(id);
  const item = deref(deref(doc.paths)[op.path]);
  const json = deref(deref(deref(deref(item[op.method.toLowerCase()]).requestBody).content)['application/json']);
  return example ? deref(deref(json.examples)[example]).value : json.example;
}
