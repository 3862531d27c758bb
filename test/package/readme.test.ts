// Issue 6 point 5: every TypeScript block of README.md type-checks against the built package.
//
// Convention for README authors:
// - Every ```ts / ```typescript block is checked as its own ES module (Node, strict TypeScript 5.9,
//   top-level await allowed). Import from the package by name: 'authwire', 'authwire/msw',
//   'authwire/emulator', 'authwire/cookie-jar'. They resolve through package.json `exports` to the
//   built dist/*.d.ts (a package can import itself by name), exactly as an installed copy would.
// - A block that uses a value it does not create (a client made in an earlier block, a form
//   element, a token from the environment) declares it at its top, which readers see too:
//     declare const client: import('authwire').LowcoderClient;
// - Errors are reported as README.md:<line>:<column>, the line of the README itself.
// - Other fences (```sh, ```js, ```json, …) are not checked.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, ROOT, run } from './run.js';

interface Block {
  /** README line of the block's first code line. */
  line: number;
  code: string;
}

function tsBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(\w+)?/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const closing = new RegExp(`^\\s*\\${fence[0]}{${fence.length},}\\s*$`);
    const end = lines.findIndex((l, j) => j > i && closing.test(l));
    const close = end === -1 ? lines.length : end;
    if (['ts', 'typescript'].includes(lang.toLowerCase())) {
      const body = lines.slice(i + 1, close).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      blocks.push({ line: i + 2, code: body.join('\n') });
    }
    i = close;
  }
  return blocks;
}

const blocks = tsBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const fileOf = (block: Block) => `readme-line-${block.line}.ts`;

// Inside the repository, so that `authwire` resolves to this package; .tmp/ is git-ignored.
let scratch: string;
/** Diagnostics per block file, already mapped to README lines. */
const errors = new Map<string, string[]>();
let compiler = '';

beforeAll(async () => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  scratch = mkdtempSync(join(ROOT, '.tmp', 'readme-'));
  for (const block of blocks) {
    // `export {}` keeps a block without imports a module; it goes last so line numbers hold.
    writeFileSync(join(scratch, fileOf(block)), `${block.code}\nexport {};\n`);
  }
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
      },
      include: ['*.ts'],
    }),
  );
  if (blocks.length === 0) return;
  const ran = await run(bin('tsc'), ['-p', scratch, '--pretty', 'false']);
  compiler = `${ran.stdout}${ran.stderr}`;
  for (const line of compiler.split('\n').filter((l) => l.includes('error TS'))) {
    const [, file = '', row = '0', column = '', message = ''] = /^(.+?)\((\d+),(\d+)\): (.*)$/.exec(line) ?? [];
    const block = blocks.find((b) => basename(file) === fileOf(b));
    const key = block ? fileOf(block) : 'elsewhere';
    const report = block ? `README.md:${block.line + Number(row) - 1}:${column} ${message}` : line;
    errors.set(key, [...(errors.get(key) ?? []), report]);
  }
}, 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('README TypeScript blocks', () => {
  it('README has at least one ts block', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((block) => [block.line, block] as const))('block at README line %i type-checks', (_line, block) => {
    expect(errors.get(fileOf(block)) ?? []).toEqual([]);
  });

  it('the compiler reported nothing outside the blocks', () => {
    expect(errors.get('elsewhere') ?? [], compiler).toEqual([]);
  });
});
