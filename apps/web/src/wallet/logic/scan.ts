/**
 * Reading a QR code with the phone's camera: the offer at the agency's counter, the request on the verifier's
 * screen. A phone's own camera app cannot open `openid-credential-offer://` or `openid4vp://` links for a web
 * wallet (browsers let pages register no such scheme), so the wallet reads the code itself.
 */

/** Why a scan could not start, as codes the pages explain. */
export type ScanErrorCode = 'camera_unavailable' | 'camera_denied';

export class ScanError extends Error {
  constructor(readonly code: ScanErrorCode) {
    super(code);
  }
}

/** Frames are decoded at most this wide or high: a code on a screen fills much of the picture, and the work per frame stays bounded. */
const MAX_SIDE = 800;
/** Time between two decoded frames (a phone's CPU, a citizen waiting). */
const INTERVAL_MS = 200;

/**
 * Shows the back camera in `video` and decodes frames until one holds a QR code; then stops the camera and calls
 * `onText` with the code's text. The decoder (jsQR, pure JavaScript: the browser's BarcodeDetector is missing on
 * most desktop browsers) is loaded only when a scan starts. Resolves to a function that stops the scan.
 * @throws ScanError `camera_unavailable` (no camera, or a page not served over https or from this machine),
 * `camera_denied` (the citizen or the browser refused it).
 */
export async function scanQr(video: HTMLVideoElement, onText: (text: string) => void): Promise<() => void> {
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) throw new ScanError('camera_unavailable');
  const [{ default: jsQR }, stream] = await Promise.all([
    import('jsqr'),
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).catch((error: unknown) => {
      const name = error instanceof DOMException ? error.name : '';
      throw new ScanError(name === 'NotAllowedError' || name === 'SecurityError' ? 'camera_denied' : 'camera_unavailable');
    }),
  ]);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play().catch(() => undefined);
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) {
    stop();
    throw new ScanError('camera_unavailable');
  }
  const tick = () => {
    if (stopped) return;
    const { videoWidth: width, videoHeight: height } = video;
    if (width > 0 && height > 0) {
      const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' });
      if (code?.data) {
        stop();
        onText(code.data);
        return;
      }
    }
    timer = setTimeout(tick, INTERVAL_MS);
  };
  tick();
  return stop;
}
