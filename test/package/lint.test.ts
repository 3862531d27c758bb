// Issue 6 point 2: the packed package holds what it should, and publint --strict and attw
// (esm-only profile) report no problems for it. Both tools' outputs are parsed, because publint
// exits 0 with suggestions and attw's exit code alone does not say which entry points it checked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, ROOT, run, shown } from './run.js';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };

// `./openapi.yaml` is a data file exported for `import.meta.resolve`, not a module: no resolution
// mode can give it types, so attw would always flag it. The consumer test resolves it instead.
const ASSET_EXPORTS = ['./openapi.yaml'];
// What `--profile esm-only` ignores (attw cli/dist/profiles.js): an ESM-only package has no CJS types.
const IGNORED_BY_PROFILE = ['node10', 'node16-cjs'];

interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}
interface AttwReport {
  analysis: { types: { kind: string }; entrypoints: Record<string, unknown>; problems: AttwProblem[] };
}

describe('package lint', () => {
  it('the tarball holds the build, the contract, README, LICENSE and package.json, nothing else', async () => {
    const ran = await run('npm', ['pack', '--dry-run', '--json']);
    expect(ran.code, shown(ran)).toBe(0);
    const [{ files }] = JSON.parse(ran.stdout) as [{ files: { path: string }[] }];
    const paths = files.map((file) => file.path);
    // `"license": "MIT"` obliges every copy to carry the licence text.
    const required = ['package.json', 'README.md', 'openapi.yaml', 'LICENSE'];
    const present = (name: string) => paths.some((path) => path === name || path.startsWith(`${name}.`));
    expect(required.filter((name) => !present(name)), 'missing from the tarball').toEqual([]);
    const expected = /^(dist\/[\w-]+\.(js|d\.ts)|package\.json|README\.md|openapi\.yaml|LICENSE(\.\w+)?)$/;
    expect(paths.filter((path) => !expected.test(path)), 'unexpected in the tarball').toEqual([]);
  });

  it('publint --strict: all good, no errors, warnings or suggestions', async () => {
    const ran = await run(bin('publint'), ['--strict']);
    const output = ran.stdout + ran.stderr;
    expect(ran.code, shown(ran)).toBe(0);
    expect(output, shown(ran)).toMatch(/^All good!$/m);
    expect(output, shown(ran)).not.toMatch(/^(Errors|Warnings|Suggestions):/m);
  });

  it('attw --pack . --profile esm-only: every module entry point has types and no problems', async () => {
    const ran = await run(bin('attw'), [
      '--pack',
      '.',
      '--profile',
      'esm-only',
      '--exclude-entrypoints',
      ...ASSET_EXPORTS,
      '--format',
      'json',
    ]);
    expect(ran.code, shown(ran)).toBe(0);
    const { analysis } = JSON.parse(ran.stdout) as AttwReport;
    expect(analysis.types.kind).toBe('included');
    const modules = Object.keys(manifest.exports).filter((subpath) => !ASSET_EXPORTS.includes(subpath));
    expect(Object.keys(analysis.entrypoints).sort()).toEqual(modules.sort());
    const problems = analysis.problems.filter(
      (problem) => !problem.resolutionKind || !IGNORED_BY_PROFILE.includes(problem.resolutionKind),
    );
    expect(problems).toEqual([]);
  });
});
