import { existsSync } from 'node:fs';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, SKIP_BROWSER } from './browser.js';

/**
 * What every browser test of the web pages does the same way: skip when asked, insist on the built pages,
 * photograph a page in both languages, read a QR code back from the screen, and decode what a wallet posted.
 */

// jsqr is CommonJS whose typings declare an ES default export: the function is the module itself here.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

/** `describe`, or `describe.skip` when GOVCRED_SKIP_BROWSER=1. */
export const describeBrowser = SKIP_BROWSER ? describe.skip : describe;

/** The built pages of one entry (`dist/web/<entry>`): their folder, or an error saying to build them first. */
export function builtPages(entry: 'portal' | 'wallet' | 'counter'): string {
  const dir = path.resolve('dist/web', entry);
  if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`no ${entry} build in ${dir}: run npm run build first`);
  return dir;
}

/** Reads the QR code of an element's screenshot, as a phone's camera would read the screen. */
export async function readQr(page: Page, testId: string): Promise<string | undefined> {
  const png = PNG.sync.read(await page.getByTestId(testId).screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

/** Photographs pages into the screenshot folder, every name prefixed with `prefix`. */
export interface Camera {
  /** One full-page photograph; resolves to the file written. */
  shoot(name: string): Promise<string>;
  /** Photographs the page in zh-CN, then in English (by the page's language switch), and comes back to zh-CN. */
  shootBoth(name: string, zhHeading: string, enHeading: string): Promise<void>;
}

/**
 * A camera on the page `page()` returns (a getter: test files open their pages in `beforeAll`). Waiting for the
 * heading in each language makes the photograph show the translated page, not the one before the switch.
 * @param afterShot called with each file written (the story test copies some into docs/screenshots)
 */
export function camera(page: () => Page, prefix = '', afterShot?: (file: string) => void): Camera {
  const shoot = async (name: string) => {
    const file = path.join(SCREENSHOTS, `${prefix}${name}.png`);
    await page().screenshot({ path: file, fullPage: true });
    afterShot?.(file);
    return file;
  };
  return {
    shoot,
    async shootBoth(name, zhHeading, enHeading) {
      const p = page();
      await p.getByRole('heading', { name: zhHeading }).first().waitFor();
      await shoot(`${name}-zh-CN`);
      await p.getByTestId('language').selectOption('en');
      await p.getByRole('heading', { name: enHeading }).first().waitFor();
      expect(await p.locator('html').getAttribute('lang')).toBe('en');
      await shoot(`${name}-en`);
      await p.getByTestId('language').selectOption('zh-CN');
      await p.getByRole('heading', { name: zhHeading }).first().waitFor();
    },
  };
}

/** Every readable text of a posted OpenID4VP form: the vp_token's parts and SD-JWT disclosures, base64url-decoded. */
export function decodedWire(body: string): string {
  const vpToken = new URLSearchParams(body).get('vp_token') ?? '';
  const parts = vpToken.split(/[~."\[\],{}:]/).filter((p) => p.length > 8);
  return [body, ...parts.map((p) => Buffer.from(p, 'base64url').toString('utf8'))].join('\n');
}
