// Measures candidate speed-ups of authwire's request path before anyone applies them: each one is
// a patch to a copy of src/ (never src/ itself), bundled like dist/ and timed, interleaved, against
// the unpatched copy. A patch whose text is no longer in src/ is skipped and reported (usually:
// already applied). `node bench/ablate.mjs <stub|loopback> [url]` prints JSON.
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ROOT, WORK } from './paths.mjs';
import { compare } from './stats.mjs';
import { stubFetch } from './fixtures.mjs';
import { API_KEY, PATH } from './wire.mjs';

/**
 * Each patch: what it does, the file it changes, and its edits (exact `[from, to]` replacements, or
 * a function of the text). `options`: client options it is measured with; `requires`: patches it
 * builds on; `replaces`: patches it is an alternative to.
 */
const PATCHES = {
  'parse-once': {
    what: 'Parse each answer once: exchange() parses it for `spec.rejected` (Coco ignores it) and call() parses it again.',
    file: 'src/client/engine.ts',
    edits: [
      ['const body = () => parseBody(r.bytes);', "const body = () => ('parsed' in r ? r.parsed : (r.parsed = parseBody(r.bytes)));"],
      ['const body = parseBody(r.bytes);', "const body = 'parsed' in r ? r.parsed : parseBody(r.bytes);"],
    ],
  },
  'remember-if-changed': {
    what: 'profile(): write the session to the store only when the user changed, by a structural comparison (today: JSON.stringify of the whole session + store.set on every call).',
    file: 'src/client/engine.ts',
    edits: [
      [
        'if (state) await session.set({ ...state, user });',
        'if (state) {\n        if (!same(state.user, user)) await session.set({ ...state, user });\n      }',
      ],
      [
        'const NULL_BODY = [101, 204, 205, 304];',
        "const NULL_BODY = [101, 204, 205, 304];\nconst same = (a, b) => a === b || (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && Array.isArray(a) === Array.isArray(b) && Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => same(a[k], b[k])));",
      ],
    ],
  },
  'keep-headers-fast': {
    what: "withoutCookies(): `delete req.headers.cookie` only when there is one; a `delete` turns the headers object into a slow dictionary for every later write (the credential's).",
    file: 'src/auth/mode.ts',
    edits: [['delete req.headers.cookie;', "if ('cookie' in req.headers) delete req.headers.cookie;"]],
  },
  'lazy-log-line': {
    what: 'send(): build the log prefix (a regex replace on the URL) only when a logger is set.',
    file: 'src/transport/send.ts',
    edits: [
      ["const where = `${ctx.platform} ${req.method} ${req.url.replace(/\\?.*/, '')}`;", "const where = logger ? `${ctx.platform} ${req.method} ${req.url.replace(/\\?.*/, '')}` : '';"],
    ],
  },
  'signal-when-needed': {
    what: 'send(): create the per-attempt AbortController only when there is a timeout or a caller signal. Changes nothing with the default 30 s timeout; measured with `timeout: 0` it gives the whole cost of the timeout (controller, timer, and undici following the signal).',
    file: 'src/transport/send.ts',
    options: { timeout: 0 },
    edits: [
      ['const controller = new AbortController();', 'const controller = signal || (opts.timeout && opts.timeout > 0) ? new AbortController() : undefined;'],
      ['const onAbort = () => controller.abort(signal?.reason);', 'const onAbort = () => controller?.abort(signal?.reason);'],
      ['            controller.abort();', '            controller?.abort();'],
      ['signal: controller.signal,', 'signal: controller?.signal,'],
    ],
  },
  'limit-always-counted': {
    what: "readBytes(): no `arrayBuffer()` fast path for bounded reads; always count bytes while streaming. A fix (a page cannot see Content-Encoding on a cross-origin answer, so a gzip body with a small Content-Length takes the fast path past the 1 MiB limit: test/transport/compressed-body-limit.test.ts) that is also a speed-up: on Node 20 the reader loop is cheaper than `arrayBuffer()` (see the breakdown).",
    file: 'src/transport/read.ts',
    edits: [
      (text) => {
        const fast = /if \(([^\n]*)\) return new Uint8Array\(await res\.arrayBuffer\(\)\);/;
        return fast.test(text) ? text.replace(fast, 'if (!res.body) return new Uint8Array();') : undefined;
      },
    ],
  },
  'lean-request': {
    what: 'api: give openapi-fetch a plain Request stand-in (its `Request` option) so no undici Request, AbortSignal and body stream are built per call; the seam passes the serialized body through.',
    file: 'src/client/engine.ts',
    edits: [
      [
        'const NULL_BODY = [101, 204, 205, 304];',
        'const NULL_BODY = [101, 204, 205, 304];\nclass LeanRequest {\n  url; method; headers; body; signal;\n  constructor(url, init) {\n    this.url = url; this.method = init.method ?? "GET"; this.headers = init.headers; this.body = init.body ?? null; this.signal = init.signal ?? undefined;\n  }\n}',
      ],
      ['const api = createClient<Paths>({\n    baseUrl,', 'const api = createClient<Paths>({\n    baseUrl,\n    Request: LeanRequest,'],
      ['body: request.body ? await request.arrayBuffer() : undefined,', 'body: request.body ?? undefined,'],
    ],
  },
  'memory-response': {
    what: 'api seam: hand openapi-fetch a Response subclass that serves the bytes already read from memory (json/text/arrayBuffer/blob), instead of `new Response(bytes)`, which builds a body stream that openapi-fetch then reads back. A sketch: clone(), body and bodyUsed need care.',
    file: 'src/client/engine.ts',
    edits: [
      [
        'const NULL_BODY = [101, 204, 205, 304];',
        `const NULL_BODY = [101, 204, 205, 304];
const memoryDecoder = new TextDecoder();
class MemoryResponse extends Response {
  #bytes;
  constructor(bytes, res) {
    super(null, { status: res.status, statusText: res.statusText, headers: res.headers });
    this.#bytes = bytes;
  }
  text() { return Promise.resolve(memoryDecoder.decode(this.#bytes)); }
  json() { return this.text().then(JSON.parse); }
  arrayBuffer() { return Promise.resolve(this.#bytes.slice().buffer); }
  blob() { return Promise.resolve(new Blob([this.#bytes], { type: this.headers.get('content-type') ?? '' })); }
}`,
      ],
      [
        'return new Response(NULL_BODY.includes(res.status) ? null : bytes, {',
        'if (!NULL_BODY.includes(res.status)) return new MemoryResponse(bytes, res);\n        return new Response(null, {',
      ],
    ],
  },
  'own-api-runtime': {
    what: "api: call the seam directly instead of through openapi-fetch's runtime (the types stay openapi-fetch's; its exported URL and header helpers build the request): no Request object, and with memory-response no body stream either; data parsed as openapi-fetch does. A measuring prototype: JSON bodies only, no middleware (`use` would need adding). Includes memory-response; an alternative to lean-request.",
    file: 'src/client/engine.ts',
    requires: ['memory-response'],
    replaces: ['lean-request'],
    edits: [
      ["import createClient, { type Client } from 'openapi-fetch';", "import { createFinalURL, createQuerySerializer, defaultPathSerializer, mergeHeaders, type Client } from 'openapi-fetch';"],
      (text) => {
        const head = 'const api = createClient<Paths>(';
        const tail = ') as Client<Paths>;';
        const start = text.indexOf(head);
        const end = text.indexOf(tail, start);
        if (start < 0 || end < 0) return undefined;
        const seamOptions = text.slice(start + head.length, end);
        return `${text.slice(0, start)}const seamOptions = ${seamOptions};
  const querySerializer = createQuerySerializer();
  const encoder = new TextEncoder();
  async function coreFetch(method, schemaPath, init = {}) {
    const { params = {}, body, headers, signal } = init;
    const url = createFinalURL(schemaPath, { baseUrl, params, querySerializer, pathSerializer: defaultPathSerializer });
    const merged = mergeHeaders(body === undefined ? {} : { 'content-type': 'application/json' }, options.headers, headers, params.header);
    const serialized = body === undefined ? null : JSON.stringify(body);
    const response = await seamOptions.fetch({ url, method, headers: merged, body: serialized, signal, arrayBuffer: async () => encoder.encode(serialized).buffer });
    if (response.status === 204 || method === 'HEAD' || response.headers.get('content-length') === '0')
      return response.ok ? { data: undefined, response } : { error: undefined, response };
    const raw = await response.text();
    if (response.ok) return { data: raw ? JSON.parse(raw) : undefined, response };
    let error = raw;
    try { error = JSON.parse(raw); } catch {}
    return { error, response };
  }
  const api = Object.fromEntries(
    ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'].map((m) => [m, (path, init) => coreFetch(m, path, init)]),
  )${text.slice(end + 1)}`;
      },
    ],
  },
  'seam-path': {
    what: 'api seam: name the operation from the URL string instead of parsing it with `new URL()`.',
    file: 'src/client/engine.ts',
    edits: [
      [
        'const url = new URL(request.url);\n      const ctx: ErrorContext = { platform, operation: `${request.method} ${url.pathname}` };',
        "const ctx: ErrorContext = { platform, operation: `${request.method} ${request.url.slice(base.origin.length).replace(/[?#].*/, '')}` };",
      ],
    ],
  },
};

/** Builds of the current src/ with the listed patches; `options` are extra client options. */
const VARIANTS = [
  { name: 'current', patches: [] },
  ...Object.entries(PATCHES).map(([id, { options, requires = [] }]) =>
    options
      ? { name: `${id} + ${JSON.stringify(options)}`, patches: [...requires, id], options }
      : { name: id, patches: [...requires, id] },
  ),
  { name: 'timeout: 0 (option)', patches: [], options: { timeout: 0 } },
  { name: 'all, keeping openapi-fetch', patches: Object.keys(PATCHES).filter((id) => !PATCHES[id].replaces) },
  {
    name: 'all, own api runtime',
    patches: Object.keys(PATCHES).filter((id) => !Object.values(PATCHES).some((p) => p.replaces?.includes(id))),
  },
];
// What the request path costs with every patch and no timeout machinery at all.
VARIANTS.push({ ...VARIANTS.at(-1), name: 'all, own api runtime, timeout: 0', options: { timeout: 0 } });

async function bundle(variant) {
  const dir = new URL(`ablate/${variant.name.replace(/\W+/g, '-')}/`, WORK);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await cp(new URL('src/', ROOT), new URL('src/', dir), { recursive: true });
  await cp(new URL('generated/', ROOT), new URL('generated/', dir), { recursive: true });
  const missing = [];
  for (const id of variant.patches) {
    const { file, edits } = PATCHES[id];
    const original = await readFile(new URL(file, dir), 'utf8');
    // An edit is `[from, to]` or a function returning the new text, or undefined when it cannot apply.
    const apply = (text, edit) =>
      typeof edit === 'function' ? edit(text) : text.includes(edit[0]) ? text.replace(edit[0], edit[1]) : undefined;
    const text = edits.reduce((t, edit) => (t === undefined ? t : apply(t, edit)), original);
    // All edits of a patch or none, so a half-applied patch is never measured.
    if (text === undefined) missing.push(id);
    else await writeFile(new URL(file, dir), text);
  }
  const outfile = new URL('node.mjs', dir).pathname;
  // As tsup builds dist/: ESM, es2022, dependencies left to node_modules.
  await build({ entryPoints: [new URL('src/node.ts', dir).pathname], bundle: true, format: 'esm', platform: 'node', target: 'es2022', packages: 'external', outfile, logLevel: 'silent' });
  return { outfile, missing, dir };
}

/** min+gzip bytes of the variant's browser `coco` client, as bench/bundle.mjs measures dist/. */
async function browserSize(dir) {
  const out = await build({
    stdin: { contents: "export { coco } from './src/index.ts';", resolveDir: dir.pathname, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  const code = out.outputFiles[0].contents;
  return { minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

/** Loopback timings are slower and noisier, so only the sums are taken there. */
const LOOPBACK_VARIANTS = [
  'current',
  'signal-when-needed + {"timeout":0}',
  'all, keeping openapi-fetch',
  'all, own api runtime',
  'all, own api runtime, timeout: 0',
];

async function ablate(mode, url) {
  const loopback = mode === 'loopback';
  const baseUrl = loopback ? url : 'https://coco.test';
  const fetchImpl = loopback ? globalThis.fetch : stubFetch;
  const rawInit = { headers: { accept: 'application/json', 'x-api-token': API_KEY } };
  const profile = [['raw: fetch(url, init)', async () => (await fetchImpl(baseUrl + PATH, rawInit)).json()]];
  const api = [['raw: fetch(url, init)', profile[0][1]]];
  const notes = [];
  const sizes = [];
  await rm(new URL('ablate/', WORK), { recursive: true, force: true });
  for (const variant of VARIANTS.filter((v) => !loopback || LOOPBACK_VARIANTS.includes(v.name))) {
    // src/ may be mid-edit by someone else: a variant that does not build is reported, not fatal.
    const built = await bundle(variant).catch((error) => ({ error }));
    if (built.error) {
      notes.push({ variant: variant.name, error: String(built.error.message ?? built.error).split('\n')[0] });
      continue;
    }
    const { outfile, missing, dir } = built;
    if (missing.length) notes.push({ variant: variant.name, missing });
    if (variant.patches.length && missing.length === variant.patches.length) continue;
    if (!loopback && !variant.options) sizes.push({ name: variant.name, ...(await browserSize(dir)) });
    const { coco } = await import(outfile);
    const client = coco({ baseUrl, apiKey: API_KEY, ...(loopback ? {} : { fetch: fetchImpl }), ...variant.options });
    const answers = await Promise.all([client.profile(), client.api.GET(PATH).then((r) => r.data)]).catch((error) => [error]);
    if (!answers.every((a) => a?.id === '2305b68a5c7204872dfee9be863db254')) {
      notes.push({ variant: variant.name, error: `wrong answer: ${String(answers.find((a) => a?.id === undefined))}` });
      continue;
    }
    profile.push([variant.name, () => client.profile()]);
    api.push([variant.name, async () => (await client.api.GET(PATH)).data]);
  }
  if (!profile.some(([name]) => name === 'current')) throw new Error(`the unpatched copy of src/ failed: ${JSON.stringify(notes)}`);
  const settings = loopback ? { rounds: 400, batch: 8, warmup: 1000 } : { rounds: 300, batch: 25, warmup: 2000 };
  return {
    mode,
    patches: Object.fromEntries(Object.entries(PATCHES).map(([id, { what, file }]) => [id, { what, file }])),
    notes,
    sizes,
    profile: await compare(profile, { ...settings, baseline: 'current' }),
    api: await compare(api, { ...settings, baseline: 'current' }),
  };
}

const [mode, url] = process.argv.slice(2);
process.stdout.write(JSON.stringify(await ablate(mode, url)));
