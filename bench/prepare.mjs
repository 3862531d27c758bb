// Generates the Redocly peer into bench/.work/: `generate-client` output for the Coco paths (the
// operations authwire's `coco` client covers), and the same compiled to JavaScript for timing.
// Reports the versions of every peer.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { platformDocument } from '../scripts/generate.mjs';
import { ROOT, WORK } from './paths.mjs';

const run = promisify(execFile);
const redocly = new URL('node_modules/@redocly/cli/bin/cli.js', ROOT).pathname;

async function generateClient(spec, out) {
  await run(process.execPath, [redocly, 'generate-client', spec, '-o', out], { cwd: ROOT.pathname });
}

/** Returns the paths of the generated files and the exact commands used. */
export async function prepare() {
  await mkdir(new URL('redocly/', WORK), { recursive: true });
  const doc = parse(await readFile(new URL('openapi.yaml', ROOT), 'utf8'), { maxAliasCount: -1 });
  const coco = platformDocument(doc, 'Coco Server');
  // platformDocument leaves security schemes out (openapi-typescript does not need them); Redocly does.
  coco.components.securitySchemes = Object.fromEntries(
    Object.entries(doc.components.securitySchemes).filter(([name]) => name.startsWith('coco')),
  );
  await writeFile(new URL('coco.openapi.json', WORK), JSON.stringify(coco, null, 1));

  const files = {
    coco: 'bench/.work/redocly/coco.ts',
    cocoJs: 'bench/.work/redocly/coco.mjs',
  };
  await generateClient('bench/.work/coco.openapi.json', files.coco);
  await build({
    entryPoints: [new URL(files.coco, ROOT).pathname],
    outfile: new URL(files.cocoJs, ROOT).pathname,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    logLevel: 'error',
  });
  const { stdout } = await run(process.execPath, [redocly, '--version']);
  const version = async (name) => JSON.parse(await readFile(new URL(`node_modules/${name}/package.json`, ROOT), 'utf8')).version;
  return {
    files,
    redoclyVersion: stdout.trim(),
    openapiFetchVersion: await version('openapi-fetch'),
    kyVersion: await version('ky'),
    commands: [
      `npx redocly generate-client bench/.work/coco.openapi.json -o ${files.coco}  # Coco paths only (scripts/generate.mjs platformDocument + the coco* security schemes)`,
      `esbuild ${files.coco} --bundle --format=esm --platform=neutral --target=es2022 --outfile=${files.cocoJs}`,
    ],
  };
}
