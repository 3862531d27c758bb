// Issue 15 point 1: every operation of openapi.yaml has an authwire sample and a curl line.
//
// The authwire samples are real files, docs/samples/<platform>/<operationId>.ts, which the docs build
// puts first in each operation's `x-codeSamples` (scripts/docs-api.mjs); the curl lines live in the
// contract itself. The samples type-check against the built package (`authwire` resolves to dist/
// through package.json `exports`, as for an installed copy) with docs/samples/tsconfig.json.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, ROOT, run, shown } from '../package/run.js';
import { loadContract } from '../support/contract.js';

const SAMPLES = join(ROOT, 'docs', 'samples');
/** Folder per platform, as scripts/docs-api.mjs reads them. */
const FOLDER: Record<string, string> = { Lowcoder: 'lowcoder', ApostropheCMS: 'apostrophe', 'Coco Server': 'coco' };
const sampleFile = (platform: string, operationId: string) => join(SAMPLES, FOLDER[platform] ?? platform, `${operationId}.ts`);

const contract = loadContract();
const operations = contract.operations;

interface CodeSample {
  lang?: string;
  label?: string;
  source?: string;
}

describe('code samples', () => {
  it.each(operations.map((op) => [op.operationId, op] as const))('%s has an authwire sample file and a curl line', (_id, op) => {
    const file = sampleFile(op.tag, op.operationId);
    const text = readFileSync(file, 'utf8');
    expect(text, relative(ROOT, file)).toMatch(/from 'authwire'/);
    const samples = (op.operation['x-codeSamples'] ?? []) as CodeSample[];
    const curl = samples.filter((s) => s.label === 'curl');
    expect(curl, op.operationId).toHaveLength(1);
    expect(curl[0]!.lang).toBe('curl');
    expect(curl[0]!.source).toMatch(/^curl /);
    // The curl line calls this operation's path (path parameters as shell variables).
    const urls = [...curl[0]!.source!.matchAll(/https:\/\/[a-z.]+\.example\.com([^\s'?]*)/g)].map((m) => m[1]);
    expect(urls.map((url) => url?.replace(/\$[A-Z_]+/g, '{}')), op.operationId).toEqual([op.path.replace(/\{\w+\}/g, '{}')]);
    if (op.method !== 'GET' && op.method !== 'POST') expect(curl[0]!.source).toContain(`-X ${op.method}`);
  });

  it('has no sample file for an operation the contract does not have', () => {
    const expected = new Set(operations.map((op) => sampleFile(op.tag, op.operationId)));
    const files = readdirSync(SAMPLES, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((dir) => readdirSync(join(SAMPLES, dir.name)).map((name) => join(SAMPLES, dir.name, name)));
    expect(files.filter((file) => !expected.has(file)).map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('every authwire sample type-checks against the built package', async () => {
    const ran = await run(bin('tsc'), ['-p', join(SAMPLES, 'tsconfig.json'), '--pretty', 'false']);
    expect(ran.code, shown(ran)).toBe(0);
  }, 120_000);
});
