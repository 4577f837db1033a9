// Test tooling (never shipped with the site): Lighthouse, mobile with its default simulated
// throttling, over several pages of a locally served site in one Debian Chromium.
// Usage: node run.mjs BASE_URL OUT_DIR NAME=PATH...   writes OUT_DIR/NAME.json for each page.
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const [base, outDir, ...pages] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run',
  ],
});
try {
  await mkdir(outDir, {recursive: true});
  for (const page of pages) {
    const cut = page.indexOf('=');
    const name = page.slice(0, cut);
    const result = await lighthouse(base + page.slice(cut + 1), {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      // unscored, and the slowest to gather after the page itself
      disableFullPageScreenshot: true,
      skipAudits: ['bf-cache', 'screenshot-thumbnails', 'final-screenshot'],
    });
    await writeFile(join(outDir, `${name}.json`), result.report);
  }
} finally {
  await chrome.kill();
}
