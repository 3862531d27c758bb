// Issue 15 point 4: the docs site (`npm run docs` → docs/) checked in Chromium.
// - Every page opens from file:// and no request leaves it: every request is recorded, and anything
//   but file:, data: and blob: fails the test (and is aborted, so a page that needs the network
//   also shows broken in the screenshots).
// - The HTTP reference nests topic tags under each platform and lists every operation of
//   openapi.yaml under its tag; an operation shows its authwire sample first, then the curl line,
//   and ends with its server versions and source.
// - The SDK reference names every export of every package entry; the landing page and the guides
//   carry README.md's sections.
// - Screenshots of each page at 1400 px and at 390 px (a phone) go to test-results/docs-*.png.
// dist/ must be built (npm test builds it before vitest).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { launchChromium } from '../support/chromium.js';
import { ROOT, run, shown } from '../package/run.js';

interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  method: string;
  path: string;
}
interface Contract {
  paths: Record<string, Record<string, unknown>>;
  tags: { name: string; 'x-displayName'?: string }[];
  'x-tagGroups': { name: string; tags: string[] }[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const contract = parse(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8'), { maxAliasCount: -1 }) as Contract;
const operations: Operation[] = Object.entries(contract.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, op]) => ({ ...(op as Operation), method, path })),
);
const groups = contract['x-tagGroups'];
const displayName = (tag: string) => contract.tags.find((t) => t.name === tag)?.['x-displayName'] ?? tag;

/** The exports of each package entry, read from the built declarations. */
const ENTRIES: Record<string, { dts: string; page: string }> = {
  authwire: { dts: 'dist/index.d.ts', page: 'sdk/modules/authwire.html' },
  'authwire/api': { dts: 'dist/api.d.ts', page: 'sdk/modules/authwire_api.html' },
  'authwire/msw': { dts: 'dist/msw.d.ts', page: 'sdk/modules/authwire_msw.html' },
  'authwire/emulator': { dts: 'dist/emulator.d.ts', page: 'sdk/modules/authwire_emulator.html' },
  'authwire/cookie-jar': { dts: 'dist/cookie-jar.d.ts', page: 'sdk/modules/authwire_cookie-jar.html' },
  'authwire/redis': { dts: 'dist/redis.d.ts', page: 'sdk/modules/authwire_redis.html' },
  'authwire/browser-store': { dts: 'dist/browser-store.d.ts', page: 'sdk/modules/authwire_browser-store.html' },
  'authwire/encrypted-store': { dts: 'dist/encrypted-store.d.ts', page: 'sdk/modules/authwire_encrypted-store.html' },
};
/** Export names per entry, from one program over all their declarations. */
function exportsOf(): Map<string, string[]> {
  const files = Object.values(ENTRIES).map((entry) => join(ROOT, entry.dts));
  const program = ts.createProgram(files, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  return new Map(
    Object.entries(ENTRIES).map(([specifier, entry]) => {
      const module = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, entry.dts))!)!;
      return [specifier, checker.getExportsOfModule(module).map((s) => s.name)];
    }),
  );
}

const PAGES = ['index.html', 'guides.html', 'api.html', 'sdk/index.html'];
const VIEWPORTS = { desktop: { width: 1400, height: 900 }, phone: { width: 390, height: 844 } };
const RESULTS = join(ROOT, 'test-results');
const url = (page: string) => pathToFileURL(join(ROOT, 'docs', page)).href;
const LOCAL = /^(file|data|blob):/;

let browser: Browser;
/** Every request any page made that was not local. */
const leaving: string[] = [];

beforeAll(async () => {
  const built = await run(process.execPath, ['scripts/docs.mjs'], { timeout: 300_000 });
  expect(built.code, shown(built)).toBe(0);
  mkdirSync(RESULTS, { recursive: true });
  browser = await launchChromium();
}, 320_000);
afterAll(() => browser?.close());

async function open(page: string, viewport: { width: number; height: number } = VIEWPORTS.desktop): Promise<Page> {
  const tab = await browser.newPage({ viewport });
  tab.on('request', (request) => {
    if (!LOCAL.test(request.url())) leaving.push(`${page}: ${request.url()}`);
  });
  await tab.route('**/*', (route) => (LOCAL.test(route.request().url()) ? route.continue() : route.abort()));
  await tab.goto(url(page), { waitUntil: 'load' });
  return tab;
}

const shotName = (page: string, size: string) => join(RESULTS, `docs-${page.replace(/\/index\.html$|\.html$/, '').replace(/\//g, '-')}-${size}.png`);

describe('docs site', () => {
  it('builds every page', () => {
    for (const page of PAGES) expect(existsSync(join(ROOT, 'docs', page)), page).toBe(true);
  });

  it.each(PAGES)('%s renders at 1400 px and at 390 px without a request leaving the page; screenshots', async (page) => {
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      const tab = await open(page, viewport);
      await tab.waitForLoadState('networkidle');
      // Nothing wider than the screen: the page scrolls vertically only.
      const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${page} at ${size}`).toBeLessThanOrEqual(1);
      await tab.screenshot({ path: shotName(page, size), fullPage: page === 'index.html' || page === 'guides.html' });
      await tab.close();
    }
    expect(leaving.filter((request) => request.startsWith(`${page}: `))).toEqual([]);
  }, 60_000);

  it('the landing page has what authwire is, install, the three quick starts, auth modes and CORS', async () => {
    const tab = await open('index.html');
    const headings = await tab.locator('main h2, main h3').allTextContents();
    expect(headings).toEqual(expect.arrayContaining(['Install', 'Quick starts', 'Lowcoder', 'ApostropheCMS', 'Coco Server', 'In the browser', 'Auth modes']));
    const text = await tab.locator('main').innerText();
    expect(text).toMatch(/A typed TypeScript SDK for the authentication APIs/);
    expect(text).toContain('npm install authwire');
    expect(text).toContain('cookie session, cross-site'); // the CORS table
    expect(await tab.locator('main table').count()).toBeGreaterThanOrEqual(2);
    // The site's own links all lead to built pages.
    const links = await tab.locator('header a, main a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const link of links.filter((href) => href.startsWith('file:') && href.includes('/docs/'))) {
      expect(existsSync(new URL(link.split('#')[0]!)), link).toBe(true);
    }
    await tab.close();
  });

  it('the guides cover sessions and stores, fleets and tabs, back ends, passwords, errors, testing with authwire/msw and security', async () => {
    const tab = await open('guides.html');
    const headings = await tab.locator('main h2').allTextContents();
    expect(headings).toEqual(['Sessions and events', 'Many processes, many tabs', 'Acting for a signed-in browser user (back ends)', 'Passwords, and what a server offers', 'Errors', 'Testing your app with authwire/msw', 'Security notes']);
    expect(await tab.locator('main').innerText()).toContain('InvalidCredentialsError');
    await tab.close();
  });

  it('the SDK reference names every export of every package entry', async () => {
    const missing: string[] = [];
    let symbols = 0;
    const names = exportsOf();
    for (const [specifier, entry] of Object.entries(ENTRIES)) {
      const tab = await open(entry.page);
      const text = await tab.locator('body').innerText();
      expect(text, specifier).toContain(specifier);
      for (const name of names.get(specifier) ?? []) {
        symbols++;
        if (!new RegExp(`(^|\\W)${name.replace(/\$/g, '\\$')}(\\W|$)`).test(text)) missing.push(`${specifier}: ${name}`);
      }
      await tab.close();
    }
    expect(symbols).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  }, 60_000);
});

describe('HTTP reference (docs/api.html)', () => {
  /** The sidebar's top level in order: group headings (separators) and their topic tags (groups). */
  const outline = (page: Page) =>
    page
      .locator('[data-component-name="Menu/Menu"]')
      .first()
      .evaluate((root) =>
        [...root.children].flatMap((item) => {
          const kind = /menu-item-type-(separator|group)\b/.exec(item.className)?.[1];
          return kind ? [`${kind}: ${item.querySelector('[data-text]')?.getAttribute('data-text')}`] : [];
        }),
      );

  it('nests topic tags under each platform, and lists every operation under its tag', async () => {
    const page = await open('api.html');
    const menu = page.locator('[data-component-name="Menu/Menu"]').first();
    await menu.locator('.menu-item-type-separator').first().waitFor();
    const tags = groups.flatMap((g) => g.tags);
    expect(await outline(page)).toEqual(groups.flatMap((g) => [`separator: ${g.name}`, ...g.tags.map((tag) => `group: ${displayName(tag)}`)]));
    const entries = menu.locator(':scope > .menu-item-type-group');
    expect(await entries.count()).toBe(tags.length);
    for (const [i, tag] of tags.entries()) {
      const entry = entries.nth(i);
      const items = entry.locator('.menu-item-type-operation');
      // A click toggles a group, and Redoc also opens and closes groups itself as the page scrolls
      // to the last one clicked: click until this one stays open.
      for (let attempt = 0; attempt < 3 && !(await items.first().isVisible()); attempt++) {
        await entry.locator(':scope > a').click();
        await items.first().waitFor({ timeout: 5_000 }).catch(() => undefined);
      }
      await items.first().waitFor({ timeout: 5_000 });
      const listed = await items.evaluateAll((els) => els.map((e) => e.querySelector('[data-text]')?.getAttribute('data-text') ?? ''));
      expect(listed.sort(), tag).toEqual(operations.filter((op) => op.tags.includes(tag)).map((op) => op.summary).sort());
    }
    await page.close();
  }, 90_000);

  it('an operation shows the authwire sample first, the curl line, and ends with server versions and source', async () => {
    const page = await open('api.html');
    const login = operations.find((op) => op.operationId === 'cocoLogin')!;
    const sample = readFileSync(join(ROOT, 'docs', 'samples', 'coco', 'cocoLogin.ts'), 'utf8');
    const entry = page.locator('[data-component-name="Menu/Menu"]').first().locator(':scope > .menu-item-type-group').nth(groups.flatMap((g) => g.tags).indexOf(login.tags[0]!));
    await entry.locator(':scope > a').click();
    await entry.getByText(login.summary, { exact: true }).click();
    const heading = page.locator('h1, h2').filter({ hasText: login.summary }).first();
    await heading.waitFor();
    // Redoc scrolls to the operation and renders what lies above it as it goes: the screenshot
    // below waits until the heading has arrived at the top.
    await expect.poll(() => heading.evaluate((e) => e.getBoundingClientRect().top), { timeout: 10_000 }).toBeLessThan(200);
    const text = await page.locator('body').innerText();
    // The operation's own text comes after its entry in the sidebar.
    const own = text.slice(text.lastIndexOf(login.summary));
    expect(own).toMatch(/registered without CORS[^]*Server versions: Coco Server 0\.9 to 0\.11[^]*Source: Coco plugins\/security\/account\.go Login\./);
    // The samples panel opens on the authwire sample.
    const code = await page.locator('pre').filter({ hasText: "from 'authwire'" }).first().innerText();
    expect(code.replace(/\s+/g, ' ').trim()).toBe(sample.replace(/\s+/g, ' ').trim());
    await page.screenshot({ path: join(RESULTS, 'docs-api-operation-desktop.png') });
    await page.close();
  }, 60_000);

  it('every operation has an authwire sample and a curl line in the page', () => {
    const html = readFileSync(join(ROOT, 'docs', 'api.html'), 'utf8');
    for (const op of operations) {
      const found = new RegExp(`"operationId":"${op.operationId}"(?:(?!"operationId")[^])*?"x-codeSamples":\\[\\{"lang":"TypeScript","label":"authwire","source":"import [^]*?\\},\\{"lang":"curl","label":"curl","source":"curl `).test(html);
      expect(found, op.operationId).toBe(true);
    }
  });
});

afterAll(() => {
  // Each page's own test asserts its requests; this catches any made by the other tests.
  expect(leaving).toEqual([]);
});
