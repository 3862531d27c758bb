// Two Chromium tabs of one origin share a session through `authwire/browser-store` (localStorage,
// Web Locks, BroadcastChannel): on an expired session they log in once between them, and a logout
// in one tab signs the other out. The page runs the BUILT browser entries; the Coco emulator serves
// the page itself (same origin) and counts logins.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Emulator } from '../../src/emulators/index.js';
import { createClock, mockCoco } from '../../src/mocks/index.js';
import { bundlePage, requireBuilt } from '../support/built.js';
import { launchChromium } from '../support/chromium.js';

interface Tab {
  hasLocks: boolean;
  signedOutAt: number | undefined;
  login(): Promise<void>;
  burst(calls: number): Promise<Record<string, number>>;
  logout(): Promise<number>;
  signedIn(): Promise<boolean>;
}
declare global {
  interface Window {
    tab: Tab;
  }
}

const HTML = '<!doctype html><meta charset="utf-8"><title>authwire tabs</title><script src="/tabs/page.js"></script>';
const DAY = 24 * 3600_000;
const CALLS = 50;

let browser: Browser;
let context: BrowserContext;
let emulator: Emulator;
let script: string;
const clock = createClock();
let logins = 0;

async function openTab(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${new URL(emulator.url).origin}/tabs/`);
  await page.waitForFunction(() => !!window.tab);
  return page;
}

beforeAll(async () => {
  requireBuilt('index.js', 'browser-store.js');
  script = await bundlePage('tabs.mjs', ['index.js', 'browser-store.js']);

  const mock = mockCoco({ clock });
  const handle = mock.handle;
  mock.handle = (request) => {
    if (new URL(request.url).pathname === '/account/login') logins++;
    return handle(request);
  };
  emulator = await serve(mock, {
    extra(req, res) {
      const body = req.url === '/tabs/' ? HTML : req.url === '/tabs/page.js' ? script : undefined;
      if (req.method !== 'GET' || body === undefined) return false;
      res.writeHead(200, { 'content-type': req.url!.endsWith('.js') ? 'text/javascript' : 'text/html', 'cache-control': 'no-store' });
      res.end(body);
      return true;
    },
  });
  browser = await launchChromium();
  context = await browser.newContext();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

describe('two tabs sharing a localStorage store', () => {
  it(`log in once between them for 2 × ${CALLS} concurrent calls on a session the server refuses`, async () => {
    const [first, second] = [await openTab(), await openTab()];
    expect(await first.evaluate(() => window.tab.hasLocks)).toBe(true);
    await first.evaluate(() => window.tab.login());
    expect(await second.evaluate(() => window.tab.signedIn())).toBe(true);
    logins = 0;
    clock.advance(DAY + 60_000);
    const [a, b] = await Promise.all([first, second].map((tab) => tab.evaluate((calls) => window.tab.burst(calls), CALLS)));
    console.log(`[tabs] refused: logins ${logins}, outcomes ${JSON.stringify([a, b])}`);
    expect(a).toEqual({ ok: CALLS });
    expect(b).toEqual({ ok: CALLS });
    expect(logins).toBe(1);
  });

  it('signs the other tab out when one logs out', async () => {
    const [first, second] = [await openTab(), await openTab()];
    await first.evaluate(() => window.tab.login());
    expect(await second.evaluate(() => window.tab.burst(1))).toEqual({ ok: 1 });
    const loggedOutAt = await first.evaluate(() => window.tab.logout());
    await second.waitForFunction(() => window.tab.signedOutAt !== undefined, undefined, { timeout: 5000 });
    const signedOutAt = await second.evaluate(() => window.tab.signedOutAt!);
    console.log(`[tabs] logout: other tab signed out ${signedOutAt - loggedOutAt} ms after`);
    expect(signedOutAt - loggedOutAt).toBeLessThan(1000);
    expect(await second.evaluate(() => window.tab.signedIn())).toBe(false);
    expect(await second.evaluate(() => Object.keys(localStorage))).toEqual([]);
  });
});
