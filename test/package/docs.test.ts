// Issue 6 point 4: `npm run docs` builds docs/api.html, which renders offline in headless Chromium
// with the three platforms as groups and every operation of openapi.yaml under its platform.
// Leaves a full-page screenshot in test-results/api-docs.png.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { launchChromium } from '../support/chromium.js';
import { ROOT, run, shown } from './run.js';

interface Operation {
  summary: string;
  tags: string[];
  method: string;
  path: string;
}
interface Contract {
  paths: Record<string, Record<string, unknown>>;
  'x-tagGroups': { name: string; tags: string[] }[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const contract = parse(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8')) as Contract;
const operations: Operation[] = Object.entries(contract.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, op]) => ({ ...(op as Operation), method, path })),
);
const groups = contract['x-tagGroups'];
const PAGE = pathToFileURL(join(ROOT, 'docs', 'api.html')).href;
const SCREENSHOT = join(ROOT, 'test-results', 'api-docs.png');

let browser: Browser;

beforeAll(async () => {
  const built = await run('npm', ['run', '-s', 'docs']);
  expect(built.code, shown(built)).toBe(0);
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/** The reference, offline: anything but the file itself and its inline blobs is refused. */
async function openDocs(viewport = { width: 1400, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.route('**/*', (route) =>
    /^(file|blob|data):/.test(route.request().url()) ? route.continue() : route.abort(),
  );
  await page.goto(PAGE, { waitUntil: 'load' });
  return page;
}

/** The sidebar entry of one tag, a child of its group's heading. */
const sidebarTag = (page: Page, tag: string) =>
  page
    .locator('[data-component-name="Menu/MenuItem"].menu-item-type-group')
    .filter({ has: page.locator(`:scope > a [data-text="${tag}"]`) });

describe('docs/api.html', () => {
  it('the contract has three platform groups, each with operations', () => {
    expect(groups.map((g) => g.name)).toEqual(['Lowcoder', 'ApostropheCMS', 'Coco Server']);
    for (const group of groups) expect(operations.some((op) => group.tags.some((t) => op.tags.includes(t)))).toBe(true);
  });

  it('groups every platform’s operations in the sidebar, and each renders under its summary', async () => {
    const page = await openDocs();
    // The sidebar's top level: each group's heading, then its tags (intro sections left out).
    const menu = page.locator('[data-component-name="Menu/Menu"]').first();
    await menu.locator('.menu-item-type-separator').first().waitFor();
    const outline = await menu.evaluate((root) =>
      [...root.children].flatMap((item) => {
        const kind = /menu-item-type-(separator|group)\b/.exec(item.className)?.[1];
        return kind ? [`${kind}: ${item.querySelector('[data-text]')?.getAttribute('data-text')}`] : [];
      }),
    );
    expect(outline).toEqual(groups.flatMap((g) => [`separator: ${g.name}`, ...g.tags.map((tag) => `group: ${tag}`)]));
    for (const tag of groups.flatMap((g) => g.tags)) {
      const entry = sidebarTag(page, tag);
      await entry.locator(':scope > a').click();
      const items = entry.locator('.menu-item-type-operation');
      await items.first().waitFor();
      const listed = await items.evaluateAll((els) =>
        els.map((e) => ({
          label: e.querySelector('[data-text]')?.getAttribute('data-text') ?? '',
          href: e.querySelector('a')?.getAttribute('href') ?? '',
        })),
      );
      const expected = operations.filter((op) => op.tags.includes(tag)).map((op) => op.summary);
      expect(listed.map((item) => item.label).sort(), tag).toEqual(expected.sort());
      // Each operation opens at its own anchor, headed by its summary.
      for (const { label, href } of listed) {
        await items.getByText(label, { exact: true }).click();
        const heading = page.locator(`[data-section-id="${href.replace(/^#/, '')}"] h2`).first();
        await expect.poll(() => heading.textContent(), { message: href, timeout: 10_000 }).toBe(label);
      }
    }
    await page.close();
  }, 90_000);

  it('lists every operation (method and path) in its platform’s section; screenshot', async () => {
    // Sections render only while in view: a viewport taller than the overview renders all three.
    const page = await openDocs({ width: 1400, height: 4000 });
    for (const group of groups) {
      for (const tag of group.tags) {
        const href = (await sidebarTag(page, tag).locator(':scope > a').getAttribute('href')) ?? '';
        const list = page.locator(`[data-section-id="${href.replace(/^#/, '')}"] [data-testid="items-navigation-list"]`);
        // The list folds after eight operations.
        const more = list.locator('[data-testid="show-more-operations"]');
        await list.waitFor();
        if (await more.count()) await more.click();
        const rendered = await list
          .locator('a')
          .evaluateAll((links) => links.map((a) => (a.textContent ?? '').trim().replace(/^(\w+)/, '$1 ')));
        const expected = operations.filter((op) => op.tags.includes(tag)).map((op) => `${op.method} ${op.path}`);
        expect(rendered.sort(), tag).toEqual(expected.sort());
      }
    }
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });
});
