// Browser test of the built example, in Debian's headless Chromium:
// every chart has one visible drawing with a rendered box, its text is at
// least 12 CSS px (at 360 px too), no two of its labels overlap and none
// leaves its box (measured with the browser's own text boxes), no page logs
// a console error, no page has a script, and screenshots (desktop, 360 px,
// dark mode, print) are written to tests/browser/screenshots/ for a person
// to look at.
//
// Needs BRIEFING_SITE (a built site folder) and Chromium at /usr/bin/chromium
// (or CHROMIUM). `.ci/run` sets both up, and BRIEFING_MORE_SITES (folders
// separated by `:`): built fixtures whose charts are measured the same way
// (the hostile-charts fixture: negatives, 30–40 categories, long labels).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { site, roots, shots, pages, nameOf, launch, openIn } from './sites.mjs';

const all = pages(site).sort();
const everything = roots.flatMap((root) => pages(root).sort().map((file) => ({ root, file })));
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const open = (file, options = {}) => openIn(browser, pathToFileURL(file).href, options);

test('the site has pages with charts', () => {
  const withCharts = all.filter((p) => readFileSync(p, 'utf8').includes('class="chart-svg'));
  assert.ok(withCharts.length >= 3, `pages with charts: ${withCharts.map((p) => relative(site, p))}`);
});

test('no page has a script', () => {
  for (const p of all) {
    assert.ok(!/<script/i.test(readFileSync(p, 'utf8')), `${relative(site, p)} has a <script>`);
  }
});

for (const { root, file } of everything) {
  const name = nameOf(file);
  test(`${name}: charts render and the page logs no errors`, async () => {
    for (const [label, options] of [
      ['desktop', { viewport: { width: 1280, height: 900 } }],
      ['360px', { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 }],
      ['dark', { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' }],
    ]) {
      const { context, page, errors } = await open(file, options);
      const figures = await page.$$eval('figure.chart', (figs) => figs.map((f) => {
        const visible = [...f.querySelectorAll('svg.chart-svg')].filter((s) => getComputedStyle(s).display !== 'none');
        return visible.map((s) => {
          const r = s.getBoundingClientRect();
          const scale = r.width / s.viewBox.baseVal.width;
          const texts = [...s.querySelectorAll('text')].map((t) => {
            const b = t.getBoundingClientRect();
            return { text: t.textContent, cls: t.getAttribute('class'), px: parseFloat(getComputedStyle(t).fontSize) * scale,
              x0: b.left, y0: b.top, x1: b.right, y1: b.bottom };
          });
          return { id: f.id, width: r.width, height: r.height, box: { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom },
            title: s.querySelector('title')?.textContent, desc: s.querySelector('desc')?.textContent, texts };
        });
      }));
      for (const visible of figures) {
        assert.equal(visible.length, 1, `${name} ${label}: one drawing per chart is shown`);
        const b = visible[0];
        assert.ok(b.width > 0 && b.height > 0, `${name} ${label}: ${b.id} has an empty box`);
        assert.ok(b.title && b.desc, `${name} ${label}: ${b.id} lacks a title or description`);
        for (const t of b.texts) {
          assert.ok(t.px >= 11.99, `${name} ${label}: ${b.id} "${t.text}" is ${t.px.toFixed(1)} px`);
          assert.ok(t.x0 >= b.box.x0 - 0.5 && t.x1 <= b.box.x1 + 0.5 && t.y0 >= b.box.y0 - 0.5 && t.y1 <= b.box.y1 + 0.5,
            `${name} ${label}: ${b.id} "${t.text}" leaves the chart`);
        }
        const labels = b.texts.filter((t) => t.cls !== 'c-inside');
        for (let i = 0; i < labels.length; i++) {
          for (let j = i + 1; j < labels.length; j++) {
            const [p, q] = [labels[i], labels[j]];
            const overlap = Math.min(p.x1, q.x1) - Math.max(p.x0, q.x0) > 0.5 && Math.min(p.y1, q.y1) - Math.max(p.y0, q.y0) > 0.5;
            assert.ok(!overlap, `${name} ${label}: ${b.id} "${p.text}" overlaps "${q.text}"`);
          }
        }
      }
      if (label === 'desktop') {
        // One centred column: the header lines up with the text, and the
        // page's title sits clear of the header.
        const layout = await page.evaluate(() => {
          const header = document.querySelector('.site-header .wrap')?.getBoundingClientRect();
          const main = document.querySelector('main')?.getBoundingClientRect();
          const h1 = document.querySelector('main h1')?.getBoundingClientRect();
          const bar = document.querySelector('.site-header')?.getBoundingClientRect();
          return header && main && { headerLeft: header.left, mainLeft: main.left,
            gap: h1 && bar ? h1.top - bar.bottom : 99, centre: main.left + main.width / 2 - window.innerWidth / 2 };
        });
        if (layout) {
          assert.ok(Math.abs(layout.headerLeft - layout.mainLeft) <= 1, `${name}: header and text are not aligned (${layout.headerLeft} vs ${layout.mainLeft})`);
          assert.ok(Math.abs(layout.centre) <= 8, `${name}: the text column is off centre by ${layout.centre}px`);
          assert.ok(layout.gap >= 24, `${name}: the title is ${layout.gap}px under the header`);
        }
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
