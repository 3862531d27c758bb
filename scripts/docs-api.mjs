// The HTTP reference, docs/api.html: openapi.yaml as Redoc renders it, after three additions that
// the contract keeps out of its prose:
// - the authwire sample of each operation (docs/samples/<platform>/<operationId>.ts), first in its
//   `x-codeSamples`, before the contract's curl line;
// - `x-server-versions` and `x-source`, as "Server versions" and "Source" lines at the end of the
//   description (of each operation, and of the info object);
// - a link back to the docs site at the top.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const root = new URL('../', import.meta.url);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Sample folder per platform (tag group). */
export const SAMPLE_FOLDERS = { Lowcoder: 'lowcoder', ApostropheCMS: 'apostrophe', 'Coco Server': 'coco' };

/** Every operation with its platform, its path and method. */
export function operationsOf(doc) {
  const platformOf = (tag) => doc['x-tagGroups'].find((group) => group.tags.includes(tag))?.name;
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      path,
      method,
      operation: item[method],
      platform: platformOf(item[method].tags?.[0]),
    })),
  );
}

/** The lines a reader sees at the end of an operation's (or the info object's) description. */
export function footer(operation) {
  const lines = [];
  if (operation['x-server-versions']) lines.push(`**Server versions:** ${operation['x-server-versions']}`);
  if (operation['x-source']?.length) lines.push(`**Source:** ${operation['x-source'].join('; ')}.`);
  return lines.join('\\\n');
}

/** The contract as the reference shows it. */
export async function referenceDocument() {
  const doc = parse(await readFile(new URL('openapi.yaml', root), 'utf8'), { maxAliasCount: -1 });
  for (const { operation, platform } of operationsOf(doc)) {
    const file = new URL(`docs/samples/${SAMPLE_FOLDERS[platform]}/${operation.operationId}.ts`, root);
    const sample = (await readFile(file, 'utf8')).trimEnd();
    operation['x-codeSamples'] = [{ lang: 'TypeScript', label: 'authwire', source: sample }, ...(operation['x-codeSamples'] ?? [])];
    const end = footer(operation);
    if (end) operation.description = `${(operation.description ?? '').trimEnd()}\n\n${end}\n`;
  }
  doc.info.title = 'authwire HTTP reference';
  doc.info.description = `${doc.info.description.trimEnd()}\n\n${footer(doc.info)}\n`;
  doc.info.description =
    '[authwire docs](index.html) · **HTTP reference** · [SDK reference](sdk/index.html) · [Guides](guides.html)\n\n' +
    doc.info.description;
  return doc;
}

/** Writes docs/api.html with Redoc's scripts inlined (no CDN). */
export async function buildApi() {
  const doc = await referenceDocument();
  const work = new URL('.tmp/docs/', root);
  await mkdir(work, { recursive: true });
  const input = new URL('openapi.reference.json', work);
  await writeFile(input, JSON.stringify(doc));
  const cli = new URL('node_modules/@redocly/cli/bin/cli.js', root);
  await promisify(execFile)(
    process.execPath,
    [
      cli.pathname,
      'build-docs',
      input.pathname,
      '--inlineBundle',
      '--lint-config=off',
      // Its `openapi` section configures the page (a `--openapi.*` flag would replace all of it).
      '--config',
      new URL('redocly.yaml', root).pathname,
      '-o',
      new URL('docs/api.html', root).pathname,
      '--title',
      'authwire — HTTP reference',
    ],
    { cwd: root.pathname, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  );
  // The page's one remote asset is Redocly's logo in the sidebar footer, loaded from its CDN.
  const page = new URL('docs/api.html', root);
  const html = await readFile(page, 'utf8');
  const offline = html
    .replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg/g, BLANK_SVG)
    // Samples wrap instead of scrolling sideways in the narrow right panel.
    .replace('</head>', '<style>pre, pre code { white-space: pre-wrap !important; overflow-wrap: anywhere; }</style></head>');
  if (/https:\/\/cdn\.redoc\.ly\//.test(offline)) throw new Error('docs/api.html still loads from cdn.redoc.ly');
  await writeFile(page, offline);
}

const BLANK_SVG = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%221%22 height=%221%22/%3E';
