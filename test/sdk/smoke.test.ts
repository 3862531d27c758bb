import { describe, expect, it } from 'vitest';
import { lowcoder, apostrophe, coco } from '../../src/node.js';
import { mockLowcoder, mockApostrophe, mockCoco } from '../../src/mocks/index.js';
import { useMsw } from '../support/msw.js';

const server = useMsw();

describe('smoke', () => {
  it('lowcoder quick start', async () => {
    const mock = mockLowcoder();
    server.use(...mock.handlers);
    const client = lowcoder({ baseUrl: mock.baseUrl });
    const s = await client.login({ email: 'ada@example.com', password: 's3cret-Passw0rd' });
    expect(s.signedIn).toBe(true);
    expect((await client.profile()).email).toBe('ada@example.com');
    const key = await client.createApiKey({ name: 'ci' });
    const second = lowcoder({ baseUrl: mock.baseUrl, apiKey: key.token });
    expect((await second.profile()).email).toBe('ada@example.com');
    expect((await client.listApiKeys())[0]?.token).toMatch(/\*{13}/);
    expect(await client.logout()).toEqual({ serverRevoked: true });
    await expect(client.profile()).rejects.toThrow(/anonymous/);
  });
  it('apostrophe quick start', async () => {
    const mock = mockApostrophe({ apiKeys: { k123456789: { role: 'admin' } } });
    server.use(...mock.handlers);
    for (const mode of ['bearer', 'cookie'] as const) {
      const client = apostrophe({ baseUrl: mock.baseUrl, mode });
      const s = await client.login({ username: 'admin', password: 's3cret-Passw0rd' });
      expect(s.user?.username).toBe('admin');
      expect((await client.profile()).username).toBe('admin');
      expect(await client.logout()).toEqual({ serverRevoked: true });
      await expect(client.profile()).rejects.toThrow();
    }
    const keyed = apostrophe({ baseUrl: mock.baseUrl, apiKey: 'k123456789' });
    expect(await keyed.profile()).toEqual({ title: 'System Task' });
  });
  it('coco quick start', async () => {
    const mock = mockCoco();
    server.use(...mock.handlers);
    for (const mode of ['bearer', 'cookie'] as const) {
      const client = coco({ baseUrl: mock.baseUrl, mode });
      const s = await client.login({ email: 'admin@example.com', password: 's3cret-Passw0rd!' });
      expect(s.user?.email).toBe('admin@example.com');
      const key = await client.createApiKey({ name: 'ci' });
      const second = coco({ baseUrl: mock.baseUrl, apiKey: key.token });
      expect((await second.profile()).email).toBe('admin@example.com');
      const list = await client.listApiKeys();
      expect(list.keys.some((k) => k.name === 'ci')).toBe(true);
      await client.renameApiKey(key.id!, 'renamed');
      await client.deleteApiKey(key.id!);
      await expect(second.profile()).rejects.toThrow(/invalid login/);
      // Nothing is revoked in either mode: the Coco cookie carries the login JWT.
      expect((await client.logout()).serverRevoked).toBe(false);
    }
  });
});
