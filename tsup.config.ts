import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    api: 'src/api.ts',
    node: 'src/node.ts',
    'cookie-jar': 'src/cookie-jar.ts',
    msw: 'src/mocks/index.ts',
    emulator: 'src/emulators/index.ts',
    redis: 'src/stores/redis.ts',
    'browser-store': 'src/stores/browser.ts',
    'encrypted-store': 'src/stores/encrypted.ts',
  },
  format: ['esm'],
  // The Redis client is the app's (an optional peer dependency), never bundled.
  external: ['ioredis'],
  target: 'es2022',
  dts: true,
  clean: true,
  splitting: true,
  treeshake: true,
  sourcemap: false,
  // Keep `node:` specifiers, so bundlers and readers see Node built-ins for what they are.
  removeNodeProtocol: false,
});
