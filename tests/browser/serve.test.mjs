// Browser tests against `briefing serve`, in Debian's headless Chromium:
// every page loads with no console errors and no serious or critical axe-core
// violations; editing a file reloads the open page within 2 s; a broken edit
// shows the error over the old content; traversal attempts get 404.
//
// Needs BRIEFING_BIN (the built binary) and Chromium at /usr/bin/chromium
// (or CHROMIUM). `.ci/run` sets both up.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const bin = process.env.BRIEFING_BIN;
assert.ok(bin, 'set BRIEFING_BIN to the briefing binary');
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let site;
let server;
let base;
let browser;

before(async () => {
  site = mkdtempSync(join(tmpdir(), 'briefing-serve-'));
  for (const dir of ['content', 'templates', 'static']) {
    cpSync(join(repo, dir), join(site, dir), { recursive: true });
  }
  server = spawn(bin, ['serve', '--port', '0', '--root', site], { stdio: ['ignore', 'ignore', 'pipe'] });
  base = await new Promise((resolve, reject) => {
    let err = '';
    server.stderr.on('data', (d) => {
      err += d;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (site) rmSync(site, { recursive: true, force: true });
});

const pages = ['', 'trade/index.html', 'transport/index.html', 'energy/index.html', 'sources/index.html', '404.html'];

for (const path of pages) {
  test(`/${path}: no console errors, no serious or critical axe violations`, async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    const response = await page.goto(base + path, { waitUntil: 'load' });
    assert.equal(response.status(), 200);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `axe on /${path}: ${JSON.stringify(bad)}`);
    assert.deepEqual(errors, [], `console errors on /${path}`);
    await page.close();
  });
}

test('an edit reloads the open page within 2 s; a broken edit shows the error over the old page', async () => {
  const page = await browser.newPage();
  await page.goto(base + 'trade/index.html', { waitUntil: 'load' });
  // Give the page's event stream a moment to connect.
  await page.waitForTimeout(300);
  const file = join(site, 'content', 'trade.md');
  const text = readFileSync(file, 'utf8');
  const started = Date.now();
  writeFileSync(file, text.replace('## Trade turnover', '## Trade turnover, edited live'));
  await page.waitForSelector('text=Trade turnover, edited live', { timeout: 2000 });
  const took = Date.now() - started;
  assert.ok(took < 2000, `reload took ${took} ms`);

  writeFileSync(join(site, 'content', 'broken.md'), '+++\ntitel = "x"\n+++\n');
  await page.waitForSelector('#briefing-error', { timeout: 2000 });
  const overlay = await page.textContent('#briefing-error');
  assert.match(overlay, /content\/broken\.md:2:1/);
  assert.ok(await page.isVisible('text=Trade turnover, edited live'), 'the old content is still there');
  rmSync(join(site, 'content', 'broken.md'));
  await page.waitForSelector('#briefing-error', { state: 'detached', timeout: 2000 });
  await page.close();
});

test('a template edit reloads the open page first and serves no other page from the old template', async () => {
  const page = await browser.newPage();
  await page.goto(base + 'zh/trade/', { waitUntil: 'load' });
  await page.waitForTimeout(300);
  const file = join(site, 'templates', 'partials', 'footer.html');
  const text = readFileSync(file, 'utf8');
  const started = Date.now();
  writeFileSync(file, text + '<p id="edited-footer">edited footer</p>\n');
  await page.waitForSelector('#edited-footer', { timeout: 2000 });
  const took = Date.now() - started;
  assert.ok(took < 2000, `reload took ${took} ms`);
  // Whatever page is asked for next has the new footer too.
  for (const other of ['', 'az/energy/', 'transport/', 'sources/']) {
    const r = await page.request.get(base + other);
    assert.ok((await r.text()).includes('edited-footer'), `/${other} was served from the old template`);
  }
  writeFileSync(file, text);
  await page.waitForSelector('#edited-footer', { state: 'detached', timeout: 2000 });
  await page.close();
});

test('traversal attempts get 404', async () => {
  const page = await browser.newPage();
  for (const path of ['../Cargo.toml', '%2e%2e/Cargo.toml', '%252e%252e/Cargo.toml', 'trade/..%2f..%2fCargo.toml']) {
    const r = await page.request.get(base + path);
    assert.equal(r.status(), 404, path);
    assert.ok(!(await r.text()).includes('[package]'), path);
  }
  await page.close();
});
