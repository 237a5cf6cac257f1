// Browser test of the built example, in Debian's headless Chromium:
// every chart has a rendered box, no page logs a console error, no page has
// a script, and screenshots (desktop, 360 px, dark mode, print) are written
// to tests/browser/screenshots/ for a person to look at.
//
// Needs BRIEFING_SITE (a built site folder) and Chromium at /usr/bin/chromium
// (or CHROMIUM). `.ci/run` sets both up.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const site = process.env.BRIEFING_SITE;
assert.ok(site, 'set BRIEFING_SITE to a built site');
const here = dirname(fileURLToPath(import.meta.url));
const shots = join(here, 'screenshots');
mkdirSync(shots, { recursive: true });

function pages(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return pages(p);
    return name.endsWith('.html') ? [p] : [];
  });
}

const all = pages(site).sort();
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

async function open(file, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { context, page, errors };
}

test('the site has pages with charts', () => {
  const withCharts = all.filter((p) => readFileSync(p, 'utf8').includes('class="chart-svg"'));
  assert.ok(withCharts.length >= 3, `pages with charts: ${withCharts.map((p) => relative(site, p))}`);
});

test('no page has a script', () => {
  for (const p of all) {
    assert.ok(!/<script/i.test(readFileSync(p, 'utf8')), `${relative(site, p)} has a <script>`);
  }
});

for (const file of all) {
  const name = relative(site, file);
  test(`${name}: charts render and the page logs no errors`, async () => {
    for (const [label, options] of [
      ['desktop', { viewport: { width: 1280, height: 900 } }],
      ['360px', { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 }],
      ['dark', { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' }],
    ]) {
      const { context, page, errors } = await open(file, options);
      const boxes = await page.$$eval('svg.chart-svg', (svgs) => svgs.map((s) => {
        const r = s.getBoundingClientRect();
        return { id: s.closest('figure')?.id, width: r.width, height: r.height,
          title: s.querySelector('title')?.textContent, desc: s.querySelector('desc')?.textContent };
      }));
      for (const b of boxes) {
        assert.ok(b.width > 0 && b.height > 0, `${name} ${label}: ${b.id} has an empty box`);
        assert.ok(b.title && b.desc, `${name} ${label}: ${b.id} lacks a title or description`);
      }
      if (label === '360px') {
        // Readable at 320–360 px: nothing wider than the screen but scroll regions.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${name}: the page is ${overflow}px wider than a 360px screen`);
      }
      const shot = `${name.replace(/\//g, '_').replace(/\.html$/, '')}-${label}.png`;
      await page.screenshot({ path: join(shots, shot), fullPage: true });
      assert.deepEqual(errors, [], `${name} ${label}: console errors`);
      await context.close();
    }
    const { context, page, errors } = await open(file, { viewport: { width: 794, height: 1123 } });
    await page.emulateMedia({ media: 'print' });
    const nav = await page.$eval('.site-header', (h) => getComputedStyle(h).display).catch(() => 'none');
    assert.equal(nav, 'none', `${name}: navigation is printed`);
    await page.screenshot({ path: join(shots, `${name.replace(/\//g, '_').replace(/\.html$/, '')}-print.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
}
