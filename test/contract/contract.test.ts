// The contract (issue 2): what each platform must describe, its security schemes, the rules every
// operation and path item follow, lint at 0 errors and 0 warnings, and generated/ in sync.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { bundleContract, CONTRACT_FILE, contractOf, isJson, loadContract, ROOT, type Contract, type Json } from '../support/contract.js';

const run = promisify(execFile);
const PLATFORMS = ['Lowcoder', 'ApostropheCMS', 'Coco Server'] as const;
type Platform = (typeof PLATFORMS)[number];

let contract: Contract;
beforeAll(async () => {
  contract = contractOf(await bundleContract());
});

const ops = (tag: Platform) => contract.operations.filter((op) => op.tag === tag);
const key = (op: { method: string; path: string }) => `${op.method} ${op.path}`;
const securityOf = (op: { operation: Json }) => op.operation.security as Json[] | undefined;

describe('bundled contract', () => {
  it('is what the tests validate against', () => {
    expect(contract.document).toEqual(loadContract().document);
  });

  it('tags every operation with exactly one platform', () => {
    expect(new Set(contract.operations.map((op) => op.tag))).toEqual(new Set(PLATFORMS));
    for (const op of contract.operations) expect(op.operation.tags, op.operationId).toHaveLength(1);
  });
});

describe('auth surface per platform', () => {
  // The session operations each SDK client is built on.
  const SESSION: Record<Platform, Record<'login' | 'logout' | 'profile', string>> = {
    Lowcoder: {
      login: 'POST /api/auth/form/login',
      logout: 'POST /api/auth/logout',
      profile: 'GET /api/users/currentUser',
    },
    ApostropheCMS: {
      login: 'POST /api/v1/@apostrophecms/login/login',
      logout: 'POST /api/v1/@apostrophecms/login/logout',
      profile: 'POST /api/v1/@apostrophecms/login/whoami',
    },
    'Coco Server': {
      login: 'POST /account/login',
      logout: 'POST /account/logout',
      profile: 'GET /account/profile',
    },
  };
  // API-key operations: exactly these, and none for Apostrophe, whose keys are server config.
  const API_KEYS: Record<Platform, Record<string, string>> = {
    Lowcoder: {
      create: 'POST /api/auth/api-key',
      list: 'GET /api/auth/api-keys',
      delete: 'DELETE /api/auth/api-key/{id}',
    },
    ApostropheCMS: {},
    'Coco Server': {
      create: 'POST /auth/access_token',
      search: 'GET /auth/access_token/_search',
      rename: 'PUT /auth/access_token/{token_id}',
      delete: 'DELETE /auth/access_token/{token_id}',
    },
  };

  it.each(PLATFORMS)('%s has login, logout and profile', (tag) => {
    const mine = new Set(ops(tag).map(key));
    for (const [role, operation] of Object.entries(SESSION[tag])) expect(mine.has(operation), `${tag} ${role}: ${operation}`).toBe(true);
  });

  it.each(PLATFORMS)('%s has exactly its real API-key operations', (tag) => {
    const keyOps = ops(tag)
      .filter((op) => /api[-_]?key|access_token/i.test(op.path))
      .map(key)
      .sort();
    expect(keyOps).toEqual(Object.values(API_KEYS[tag]).sort());
  });

  it('names Lowcoder and Coco key operations for what they do', () => {
    const id = (k: string) => contract.operations.find((op) => key(op) === k)?.operationId;
    expect(id(API_KEYS.Lowcoder.create!)).toBe('lowcoderCreateApiKey');
    expect(id(API_KEYS.Lowcoder.delete!)).toBe('lowcoderDeleteApiKey');
    expect(id(API_KEYS['Coco Server'].rename!)).toBe('cocoUpdateApiToken');
    expect(id(API_KEYS['Coco Server'].search!)).toBe('cocoSearchApiTokens');
  });
});

describe('security schemes', () => {
  const EXPECTED: Record<string, Json> = {
    lowcoderSession: { type: 'apiKey', in: 'cookie', name: 'LOWCODER_CE_SELFHOST_TOKEN' },
    lowcoderApiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    apostropheSession: { type: 'apiKey', in: 'cookie', name: 'apos.sid' },
    apostropheCsrf: { type: 'apiKey', in: 'cookie', name: 'apos.csrf' },
    apostropheBearer: { type: 'http', scheme: 'bearer' },
    apostropheBearerQuery: { type: 'apiKey', in: 'query', name: 'access_token' },
    apostropheApiKey: { type: 'apiKey', in: 'header', name: 'Authorization' },
    apostropheApiKeyQuery: { type: 'apiKey', in: 'query', name: 'apikey' },
    cocoSession: { type: 'apiKey', in: 'cookie', name: expect.stringMatching(/^INFINI-SESSION-\w+$/) },
    cocoBearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    cocoApiToken: { type: 'apiKey', in: 'header', name: 'X-API-TOKEN' },
  };

  it('declares every mode with its exact type, location and name', () => {
    const schemes = (contract.document.components as Json).securitySchemes as Record<string, Json>;
    expect(Object.keys(schemes).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [name, expected] of Object.entries(EXPECTED)) {
      const { description, ...scheme } = schemes[name] ?? {};
      expect(scheme, name).toEqual(expected);
      expect(description, name).toEqual(expect.any(String));
    }
  });

  it('lets each operation accept only its own platform’s schemes', () => {
    const prefix: Record<string, string> = { Lowcoder: 'lowcoder', ApostropheCMS: 'apostrophe', 'Coco Server': 'coco' };
    for (const op of contract.operations)
      for (const requirement of securityOf(op) ?? [])
        for (const scheme of Object.keys(requirement)) expect(scheme.startsWith(prefix[op.tag]!), `${op.operationId}: ${scheme}`).toBe(true);
  });
});

describe('every operation', () => {
  it('has operationId, summary, description, a 4xx and an explicit security list', () => {
    for (const op of contract.operations) {
      const o = op.operation;
      for (const field of ['operationId', 'summary', 'description'])
        expect(typeof o[field] === 'string' && (o[field] as string).trim().length > 0, `${key(op)} ${field}`).toBe(true);
      const statuses = Object.keys(isJson(o.responses) ? o.responses : {});
      // No exception needed: throttling and header-size limits give even anonymous reads a 4xx.
      expect(statuses.some((s) => /^4(\d\d|XX)$/.test(s)), `${op.operationId} 4xx`).toBe(true);
      expect(Array.isArray(o.security) && o.security.length > 0, `${op.operationId} security`).toBe(true);
    }
  });

  it('has unique operationIds', () => {
    const ids = contract.operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('servers', () => {
  const BASE_PATH: Record<Platform, string> = { Lowcoder: 'basePath', ApostropheCMS: 'prefix', 'Coco Server': 'basePath' };

  it('every path item carries its platform’s servers with scheme, host, port and base-path variables', () => {
    const paths = contract.document.paths as Record<string, Json>;
    for (const [path, item] of Object.entries(paths)) {
      const tag = contract.operations.find((op) => op.path === path)!.tag as Platform;
      const servers = item.servers as Json[] | undefined;
      expect(servers?.length, path).toBeGreaterThan(0);
      const templated = servers!.filter((s) => isJson(s.variables));
      expect(templated.length, `${path}: a templated server`).toBeGreaterThan(0);
      for (const server of templated) {
        const variables = server.variables as Record<string, Json>;
        const base = BASE_PATH[tag];
        expect(Object.keys(variables).sort(), path).toEqual(['host', 'port', 'scheme', base].sort());
        expect(server.url, path).toBe(`{scheme}://{host}:{port}{${base}}`);
        for (const [name, variable] of Object.entries(variables)) expect(typeof variable.default, `${path} ${name}`).toBe('string');
        expect(variables[base]!.default, `${path} ${base}`).toBe('');
        expect(variables.scheme!.enum, path).toEqual(['http', 'https']);
      }
    }
  });
});

describe('Apostrophe CSRF in the contract', () => {
  const apostrophe = () => ops('ApostropheCMS');

  it('requires apostropheCsrf beside apostropheSession on every non-GET operation except login', () => {
    const checked: string[] = [];
    for (const op of apostrophe()) {
      if (op.method === 'GET' || op.operationId === 'apostropheLogin') continue;
      for (const requirement of securityOf(op)!) {
        // Anonymous non-GET calls go through the CSRF check too.
        expect(Object.keys(requirement).length, `${op.operationId}: anonymous without CSRF`).toBeGreaterThan(0);
        if ('apostropheSession' in requirement) expect(requirement, op.operationId).toHaveProperty('apostropheCsrf');
      }
      checked.push(op.operationId);
    }
    expect(checked).toContain('apostropheLogout');
    expect(checked).toContain('apostropheWhoami');
  });

  it('lets login and GET operations go without the CSRF cookie', () => {
    for (const op of apostrophe().filter((o) => o.method === 'GET' || o.operationId === 'apostropheLogin'))
      expect(securityOf(op)!.some((r) => !('apostropheCsrf' in r)), op.operationId).toBe(true);
  });
});

describe('lint', () => {
  it('reports 0 errors and 0 warnings', async () => {
    const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
    const { stdout } = await run(process.execPath, [cli, 'lint', CONTRACT_FILE, '--format', 'json'], { cwd: ROOT }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
    );
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });
});

describe('generated types', () => {
  const generator = join(ROOT, 'scripts/generate.mjs');
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'authwire-drift-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('are in sync with openapi.yaml (generate --check)', async () => {
    await expect(run(process.execPath, [generator, '--check'], { cwd: ROOT })).resolves.toBeDefined();
  });

  // The same check on a copy of the project whose contract changed: it must fail, naming only the
  // platform whose types changed (which also shows the copy itself is sound).
  it('drift is detected when the contract changes', async () => {
    await mkdir(join(work, 'scripts'));
    await cp(generator, join(work, 'scripts/generate.mjs'));
    await cp(join(ROOT, 'generated'), join(work, 'generated'), { recursive: true });
    await symlink(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
    const changed = parse(await readFile(CONTRACT_FILE, 'utf8'), { maxAliasCount: -1 }) as Json;
    const schemas = (changed.components as Json).schemas as Record<string, Json>;
    (schemas.LowcoderApiKey!.properties as Json).expiresAt = { type: 'string' };
    await writeFile(join(work, 'openapi.yaml'), stringify(changed, { aliasDuplicateObjects: false }));
    const failed = await run(process.execPath, [join(work, 'scripts/generate.mjs'), '--check'], { cwd: work }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/Out of date.*generated\/lowcoder\.ts/);
    expect(failed?.stderr).not.toMatch(/apostrophe|coco/);
  });
});
