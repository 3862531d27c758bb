// The shared install-or-fail helper: a configured binary wins, and a wrong one fails with the exact
// install command. (Not the install itself: these tests run as root here and must not apt-get.)
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findChromium } from './chromium.js';
import { findRedisServer } from './redis.js';

afterEach(() => vi.unstubAllEnvs());

describe.each([
  {
    find: findRedisServer,
    env: 'REDIS_SERVER_PATH',
    howTo:
      'These tests need redis-server. On Debian/Ubuntu run `sudo apt-get update && sudo apt-get install -y redis-server`, ' +
      'or set REDIS_SERVER_PATH to a redis-server binary.',
  },
  {
    find: findChromium,
    env: 'CHROMIUM_PATH',
    howTo:
      'Browser tests need Chromium. On Debian/Ubuntu run `sudo apt-get update && sudo apt-get install -y chromium`, ' +
      'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  },
])('$env', ({ find, env, howTo }) => {
  it('is the configured binary when it exists', () => {
    vi.stubEnv(env, process.execPath);
    expect(find()).toBe(process.execPath);
  });

  it('fails with the install command when the configured binary is missing', () => {
    vi.stubEnv(env, '/nonexistent/binary');
    expect(find).toThrow(new Error(`${env}=/nonexistent/binary does not exist. ${howTo}`));
  });
});
