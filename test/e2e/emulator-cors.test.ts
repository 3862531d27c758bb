// The CORS answers of the built emulators (dist/emulator.js) over real HTTP, header by header, so a
// browser e2e failure can be told apart from an emulator fault. Browsers refuse a preflight whose
// Access-Control-Allow-Origin holds more than one value; fetch joins repeated headers with ', '.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as EmulatorModule from '../../src/emulators/index.js';
import { importBuilt, requireBuilt } from '../support/built.js';

const ORIGIN = 'http://localhost:5173';
let emulators: EmulatorModule.Emulators;

beforeAll(async () => {
  requireBuilt('emulator.js');
  const { startEmulators } = await importBuilt<typeof EmulatorModule>('emulator.js');
  emulators = await startEmulators();
});
afterAll(() => emulators?.close());

const preflight = (url: string, headers = 'authorization') =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': headers },
  });
const cors = (res: Response) => ({
  status: res.status,
  allowOrigin: res.headers.get('access-control-allow-origin'),
  allowCredentials: res.headers.get('access-control-allow-credentials'),
  allowHeaders: res.headers.get('access-control-allow-headers'),
});

describe('emulator CORS over real HTTP', () => {
  it('Lowcoder echoes the origin once, with credentials, on preflights and answers', async () => {
    const url = `${emulators.lowcoder.url}/api/users/currentUser`;
    expect(cors(await preflight(url, 'authorization,x-custom'))).toEqual({
      status: 200,
      allowOrigin: ORIGIN,
      allowCredentials: 'true',
      allowHeaders: 'authorization,x-custom',
    });
    expect(cors(await fetch(url, { headers: { origin: ORIGIN } }))).toMatchObject({ allowOrigin: ORIGIN, allowCredentials: 'true' });
  });

  it('Apostrophe answers `*` once, without credentials, reflecting the asked headers', async () => {
    const url = `${emulators.apostrophe.url}/api/v1/@apostrophecms/login/whoami`;
    expect(cors(await preflight(url))).toEqual({ status: 204, allowOrigin: '*', allowCredentials: null, allowHeaders: 'authorization' });
    expect(cors(await fetch(url, { headers: { origin: ORIGIN } }))).toMatchObject({ allowOrigin: '*', allowCredentials: null });
  });

  it('Coco answers preflights on its CORS routes only, and never allows the origin on answers', async () => {
    const profile = `${emulators.coco.url}/account/profile`;
    expect(cors(await preflight(profile, 'x-api-token'))).toMatchObject({ status: 200, allowOrigin: ORIGIN, allowCredentials: 'true' });
    expect(cors(await fetch(profile, { headers: { origin: ORIGIN } })).allowOrigin).toBeNull();
    expect(cors(await preflight(`${emulators.coco.url}/account/login`, 'content-type')).allowOrigin).toBeNull();
  });
});
