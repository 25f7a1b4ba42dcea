import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (never a downloaded browser: the machines reach no browser builds). */
export const CHROMIUM = process.env.GOVCRED_CHROMIUM ?? '/usr/bin/chromium';

/** Browser tests run unless GOVCRED_SKIP_BROWSER=1; a missing Chromium then fails them, saying how to install it. */
export const SKIP_BROWSER = process.env.GOVCRED_SKIP_BROWSER === '1';

/** Where screenshots go (git-ignored). */
export const SCREENSHOTS = path.resolve('test-output/screenshots');

/** Flags that work as root on a closed network (no sandbox, no GPU, no background traffic). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A phone's screen (CSS pixels of a common 6.1-inch phone), for pages citizens use on their phones. */
export const PHONE_VIEWPORT = { width: 390, height: 844 };

function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium fonts-noto-cjk\` (or set GOVCRED_SKIP_BROWSER=1 to skip the browser tests)`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
}

/** A fresh Chromium profile (its own user-data-dir, removed on close); `args` adds flags (a fake camera's). */
export async function launchBrowser(locale = 'zh-CN', viewport = { width: 1200, height: 900 }, args: string[] = []): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  requireChromium();
  const profile = mkdtempSync(path.join(tmpdir(), 'govcred-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...args],
    locale,
    viewport,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One Chromium for several people at once: each `newContext()` is a browser profile of its own (cookies, storage),
 * with its own screen size and language, as the agency's desk, the counter's desk and the citizen's phone are.
 * `args` adds flags (a fake camera's).
 */
export async function launchChromium(args: string[] = []): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...args] });
}
