// What the browser tests of built sites share: the sites to open (the
// example from BRIEFING_SITE, and the built fixtures of BRIEFING_MORE_SITES,
// folders separated by `:`), their pages, the screenshot folder, and
// Debian's headless Chromium (/usr/bin/chromium, or CHROMIUM).

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const site = process.env.BRIEFING_SITE;
assert.ok(site, 'set BRIEFING_SITE to a built site');
export const roots = [site, ...(process.env.BRIEFING_MORE_SITES || '').split(':').filter(Boolean)];
export const shots = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(shots, { recursive: true });

/// Every HTML file below `dir`.
export function pages(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return pages(p);
    return name.endsWith('.html') ? [p] : [];
  });
}

/// A page's name in messages and screenshots: relative to the example, or
/// with its fixture's folder name in front.
export function nameOf(file) {
  const root = roots.find((r) => file.startsWith(r + '/'));
  return root === site ? relative(site, file) : relative(dirname(root), file);
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/// Opens `url` in a new context of `browser`, collecting console errors.
export async function openIn(browser, url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  return { context, page, errors };
}
