import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Locator } from 'playwright-core';

const WIDTH = 640;
const HEIGHT = 480;

/**
 * A camera for the phone's browser: Chromium's fake capture device plays a Y4M file, which it reads each time a page
 * opens the camera, so a test puts in front of the "camera" what the citizen points it at — the QR code on the
 * agency's or the counter's screen, photographed from that page — just before the wallet scans.
 */
export class FakeCamera {
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'govcred-camera-'));
  readonly file = path.join(this.dir, 'camera.y4m');

  constructor() {
    this.clear();
  }

  /** Points the camera at nothing (a white wall). */
  clear(): void {
    const white = new PNG({ width: WIDTH, height: HEIGHT });
    white.data.fill(255);
    this.showImage(white);
  }

  /** The Chromium flags of this camera (and of a camera permission granted without asking). */
  get flags(): string[] {
    return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${this.file}`];
  }

  /** Points the camera at an element of another page (its screenshot, as a phone sees a screen). */
  async pointAt(element: Locator): Promise<void> {
    this.show(await element.screenshot());
  }

  /** Points the camera at a photograph (PNG). */
  show(png: Buffer): void {
    this.showImage(PNG.sync.read(png));
  }

  /** One frame: `image` centred on white, scaled down (nearest pixel) if larger than the frame, in grey. */
  showImage(image: PNG): void {
    const scale = Math.min(1, WIDTH / image.width, HEIGHT / image.height);
    const w = Math.floor(image.width * scale);
    const h = Math.floor(image.height * scale);
    const x0 = Math.floor((WIDTH - w) / 2);
    const y0 = Math.floor((HEIGHT - h) / 2);
    const luma = Buffer.alloc(WIDTH * HEIGHT, 235);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = (Math.floor(y / scale) * image.width + Math.floor(x / scale)) * 4;
        const alpha = image.data[i + 3]! / 255;
        const grey = (0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!) * alpha + 255 * (1 - alpha);
        luma[(y0 + y) * WIDTH + x0 + x] = Math.round(16 + (grey * 219) / 255);
      }
    }
    const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128);
    writeFileSync(this.file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), luma, chroma, chroma]));
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
