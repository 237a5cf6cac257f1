// Browser tests of how the built pages read on a phone, on paper and when a
// static host serves the 404 page at a nested address, in Debian's headless
// Chromium. They measure what a person checked in the screenshots:
//
// - at 360 px nothing is wider than the screen except inside a table's
//   scroll box, which shows a cue (a shadow at its edge) and keeps its first
//   column in view and readable; table text is at least 12 px;
// - the home page's first phone screen shows the briefing's summary;
// - every page printed to PDF on A4 and on US Letter, rendered with
//   pdftoppm: every page but the last is at least half covered; body text
//   is at least 10 pt and not smaller than captions; navigation is hidden;
//   download and cross-reference links print their address; timeline
//   markers print;
// - every page links the PDF edition of its own language, and the link,
//   followed from the page as it is opened from disk, reaches a PDF;
// - the 404 page, requested at a nested address of a static server that
//   answers every miss with it (as GitHub Pages and Netlify do), is styled
//   and logs no error.
//
// Screenshots at 768 px (charts.test.mjs takes 360 and 1280 px and dark
// mode) and the printed A4 pages as PNG are written to
// tests/browser/screenshots/ for people to look at.
//
// Needs BRIEFING_SITE (a built site), Chromium at /usr/bin/chromium (or
// CHROMIUM) and pdftoppm (poppler-utils); `.ci/run` installs them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative, extname } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { site, roots, shots, pages, nameOf, launch, openIn } from './sites.mjs';

const all = roots.flatMap((root) => pages(root).sort().filter((p) => relative(root, p) !== '404.html'));
const shotName = (file, label) => `${nameOf(file).replace(/\//g, '_').replace(/\.html$/, '')}-${label}.png`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => { await browser?.close(); });

const open = (url, options = {}) => openIn(browser, url, options);

// What sticks out of a 360 px screen, and the state of every table's box.
function measurePhone() {
  const width = window.innerWidth;
  const inScroll = (el) => el.closest('.table-scroll');
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !inScroll(el))
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
  const tables = [...document.querySelectorAll('.table-scroll')].map((box) => {
    const style = getComputedStyle(box);
    const overflows = box.scrollWidth > box.clientWidth + 1;
    const firstCells = [...box.querySelectorAll('tbody th[scope="row"]')];
    const cellPx = [...box.querySelectorAll('th, td')].map((c) => parseFloat(getComputedStyle(c).fontSize));
    const lines = firstCells.map((c) => {
      const range = document.createRange();
      range.selectNodeContents(c);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    // Scroll to the end: the first column must still be in view.
    box.scrollLeft = box.scrollWidth;
    const firstLeft = firstCells.map((c) => c.getBoundingClientRect().left - box.getBoundingClientRect().left);
    box.scrollLeft = 0;
    return {
      caption: box.querySelector('caption')?.textContent,
      overflows,
      cue: /gradient/.test(style.backgroundImage),
      scrolls: ['auto', 'scroll'].includes(style.overflowX),
      focusable: box.tabIndex === 0,
      minPx: Math.min(...cellPx),
      maxLines: Math.max(0, ...lines),
      firstWidth: Math.min(...firstCells.map((c) => c.getBoundingClientRect().width)),
      firstLeft: Math.max(0, ...firstLeft.map(Math.abs)),
    };
  });
  // A number is never split over two lines ("18–" / "23 days"); only a
  // trailing "(implied)" may wrap, in a narrow key-figure card.
  const split = [...document.querySelectorAll('.fig:not(.fig-words)')]
    .filter((f) => {
      const text = f.firstChild;
      if (!text || text.nodeType !== Node.TEXT_NODE) return false;
      const core = text.data.indexOf(' (');
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, core < 0 ? text.data.length : core);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
    })
    .map((f) => f.textContent);
  return { wide, tables, split };
}

for (const file of all) {
  const name = nameOf(file);
  test(`${name}: at 360 px nothing leaves the screen but tables that show a cue and keep their first column`, async () => {
    const { context, page, errors } = await open(pathToFileURL(file).href, { viewport: { width: 360, height: 740 } });
    const m = await page.evaluate(measurePhone);
    assert.deepEqual(m.wide, [], `${name}: wider than the screen outside a table's scroll box`);
    assert.deepEqual(m.split, [], `${name}: numbers broken over two lines at 360 px`);
    for (const t of m.tables) {
      assert.ok(t.minPx >= 12, `${name}: "${t.caption}" has ${t.minPx}px text`);
      assert.ok(t.scrolls && t.focusable, `${name}: "${t.caption}" does not scroll in a focusable box`);
      if (t.overflows) {
        assert.ok(t.cue, `${name}: "${t.caption}" hides columns without a cue`);
        assert.ok(t.firstLeft <= 1, `${name}: "${t.caption}" loses its first column when scrolled (${t.firstLeft}px)`);
        assert.ok(t.firstWidth >= 140, `${name}: "${t.caption}" first column is ${t.firstWidth}px wide`);
        assert.ok(t.maxLines <= 4, `${name}: "${t.caption}" first column wraps to ${t.maxLines} lines`);
      }
    }
    // charts.test.mjs shoots 360 and 1280 px; this adds a tablet.
    await page.setViewportSize({ width: 768, height: 1024 });
    const tablet = await page.evaluate(measurePhone);
    assert.deepEqual(tablet.split, [], `${name}: numbers broken over two lines at 768 px`);
    await page.screenshot({ path: join(shots, shotName(file, '768px')), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the home page: the first phone screen shows the summary, not only key figures', async () => {
  const { context, page } = await open(pathToFileURL(join(site, 'index.html')).href, { viewport: { width: 360, height: 740 } });
  const m = await page.evaluate(() => {
    const summary = document.querySelector('.briefing-header .lede') || document.querySelector('.prose p');
    const figures = document.querySelector('.key-figures');
    return { summary: summary?.getBoundingClientRect().bottom, figures: figures?.getBoundingClientRect().height };
  });
  assert.ok(m.summary !== undefined, 'the home page has a summary');
  assert.ok(m.summary <= 740, `the summary ends at ${m.summary}px, below the first 740px screen`);
  if (m.figures) assert.ok(m.figures <= 1.1 * 740, `key figures are ${m.figures}px tall on a phone`);
  await context.close();
});

// Reads a binary PGM (P5) written by pdftoppm -gray.
function readPgm(path) {
  const buf = readFileSync(path);
  const header = [];
  let at = 0;
  while (header.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[at]))) at++;
    if (buf[at] === 0x23) { while (buf[at] !== 0x0a) at++; continue; }
    let tok = '';
    while (!/\s/.test(String.fromCharCode(buf[at]))) tok += String.fromCharCode(buf[at++]);
    header.push(tok);
  }
  const [, w, h] = header.map(Number);
  return { width: w, height: h, pixels: buf.subarray(at + 1) };
}

// How much of each printed page's text area is used: from the top margin
// to the last inked row, over the text area's height.
function coverage(pdf, marginsMm) {
  const dir = mkdtempSync(join(tmpdir(), 'briefing-print-'));
  try {
    execFileSync('pdftoppm', ['-r', '40', '-gray', pdf, join(dir, 'p')]);
    return readdirSync(dir).sort().map((f) => {
      const { width, height, pixels } = readPgm(join(dir, f));
      const pxPerMm = height / marginsMm.pageHeight;
      const top = Math.round(marginsMm.top * pxPerMm);
      const bottom = height - Math.round(marginsMm.bottom * pxPerMm);
      let last = top;
      for (let y = top; y < bottom; y++) {
        for (let x = 0; x < width; x++) {
          if (pixels[y * width + x] < 200) { last = y; break; }
        }
      }
      return (last - top) / (bottom - top);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const file of all) {
  const name = nameOf(file);
  test(`${name}: printed on A4 and Letter, every page but the last at least half covered`, async () => {
    const { context, page, errors } = await open(pathToFileURL(file).href, { viewport: { width: 800, height: 1100 } });
    await page.emulateMedia({ media: 'print' });
    const m = await page.evaluate(() => {
      const px = (el) => el && parseFloat(getComputedStyle(el).fontSize);
      const body = [...document.querySelectorAll('.prose > p, .prose li, .lede')].map(px);
      const captions = [...document.querySelectorAll('.chart-caption, .table-source, caption, .chart-title')].map(px);
      const hidden = ['.site-header', '.pager', '.toc', '.contents', '.skip-link']
        .filter((s) => document.querySelector(s))
        .filter((s) => getComputedStyle(document.querySelector(s)).display !== 'none');
      const unprinted = [...document.querySelectorAll('a[download], .downloads a')]
        .filter((a) => !/\(/.test(getComputedStyle(a, '::after').content))
        .map((a) => a.textContent);
      const markers = [...document.querySelectorAll('.timeline li')].map((li) => {
        const s = getComputedStyle(li, '::before');
        return parseFloat(s.borderTopWidth) > 0 && s.borderTopStyle !== 'none';
      });
      // Tables may break between rows, never inside one, and repeat their
      // header row on the next page.
      const tables = [...document.querySelectorAll('table')].map((t) => ({
        header: t.tHead ? getComputedStyle(t.tHead).display : 'table-header-group',
        rows: [...t.rows].every((r) => getComputedStyle(r).breakInside === 'avoid'),
        whole: getComputedStyle(t).breakInside,
      }));
      return { body, captions, hidden, unprinted, markers, tables };
    });
    for (const b of m.body) assert.ok(b >= 10 * 4 / 3 - 0.01, `${name}: printed body text is ${b}px`);
    const smallest = Math.min(...m.body);
    for (const c of m.captions) assert.ok(c <= smallest + 0.01, `${name}: a caption (${c}px) is larger than body text (${smallest}px)`);
    assert.deepEqual(m.hidden, [], `${name}: on-screen-only parts are printed`);
    assert.deepEqual(m.unprinted, [], `${name}: links printed without their address`);
    assert.ok(m.markers.every(Boolean), `${name}: timeline markers do not print`);
    for (const t of m.tables) {
      assert.equal(t.header, 'table-header-group', `${name}: a table's header row does not repeat`);
      assert.ok(t.rows, `${name}: a table row may break across pages`);
      assert.equal(t.whole, 'auto', `${name}: a table may not break between rows`);
    }
    for (const [format, pageHeight] of [['A4', 297], ['Letter', 279.4]]) {
      const pdf = join(tmpdir(), `briefing-${process.pid}-${shotName(file, format)}.pdf`);
      await page.pdf({ path: pdf, format });
      const used = coverage(pdf, { top: 16, bottom: 17, pageHeight });
      if (process.env.BRIEFING_VERBOSE) console.log(name, format, used.map((u) => u.toFixed(2)).join(" "));
      if (format === 'A4') {
        execFileSync('pdftoppm', ['-r', '50', '-png', pdf, join(shots, shotName(file, 'print').replace(/\.png$/, ''))]);
      }
      rmSync(pdf, { force: true });
      used.slice(0, -1).forEach((u, i) => {
        assert.ok(u >= 0.5, `${name} on ${format}: page ${i + 1} of ${used.length} is ${Math.round((1 - u) * 100)} % blank`);
      });
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

// The PDF edition of each page's language, followed from the page itself.
for (const root of roots) {
  const lang = (file) => readFileSync(file, 'utf8').match(/<html lang="([^"]+)"/)?.[1];
  const own = lang(join(root, 'index.html'));
  test(`${nameOf(join(root, 'index.html'))}: every page links its language's PDF edition, which opens`, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    let checked = 0;
    for (const file of pages(root).filter((p) => relative(root, p) !== '404.html')) {
      const l = lang(file);
      const edition = l === own ? root : join(root, l);
      const pdf = join(edition, 'briefing.pdf');
      let exists = true;
      try { readFileSync(pdf); } catch { exists = false; }
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
      const links = await page.$$eval('a[href$=".pdf"]', (as) => as.map((a) => ({
        href: a.href,
        text: a.textContent.trim(),
        download: a.hasAttribute('download'),
        shown: a.getBoundingClientRect().width > 0,
      })));
      await page.close();
      if (!exists) {
        assert.deepEqual(links, [], `${nameOf(file)} links a PDF the build did not write`);
        continue;
      }
      assert.equal(links.length, 1, `${nameOf(file)}: ${JSON.stringify(links)}`);
      const [link] = links;
      assert.ok(link.shown && link.text.length > 0 && link.download, `${nameOf(file)}: ${JSON.stringify(link)}`);
      assert.equal(fileURLToPath(link.href), pdf, `${nameOf(file)} (${l}) links another language's PDF`);
      assert.equal(readFileSync(fileURLToPath(link.href)).subarray(0, 5).toString(), '%PDF-');
      checked += 1;
    }
    await context.close();
    if (root === site) assert.ok(checked >= 12, `only ${checked} pages link the PDF`);
  });
}

const types = { '.html': 'text/html', '.css': 'text/css', '.svg': 'image/svg+xml', '.xml': 'application/xml' };

test('404.html served at a nested address by a static host is styled and logs no error', async () => {
  // A static host: files as they are, and 404.html for every miss.
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = join(site, path.endsWith('/') ? `${path}index.html` : path);
    try {
      if (!file.startsWith(site)) throw new Error('outside');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end(readFileSync(join(site, '404.html')));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    const missing = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => { if (r.status() >= 400) missing.push(new URL(r.url()).pathname); });
    await page.goto(`${base}/trade/nope/deeper`, { waitUntil: 'load' });
    const m = await page.evaluate(() => ({
      font: getComputedStyle(document.body).fontFamily,
      header: getComputedStyle(document.querySelector('.site-header')).borderBottomStyle,
      home: document.querySelector('main a')?.href,
    }));
    assert.notEqual(m.header, 'none', 'the 404 page is unstyled');
    assert.match(m.font, /Charter|Georgia|serif/);
    const start = await (await fetch(m.home)).text();
    assert.match(start, /<h1>/, `"Go to the start" leads to ${m.home}, which is not the home page`);
    await page.screenshot({ path: join(shots, '404-nested.png') });
    assert.deepEqual(errors, []);
    // Only the missing page itself. The icon is the one exception: without
    // a base URL its relative link misses at depth, which costs a tab icon,
    // never the page's look.
    assert.deepEqual(missing.filter((p) => !/\/favicon\.\w+$/.test(p)), ['/trade/nope/deeper']);
    await context.close();
  } finally {
    server.close();
  }
});
