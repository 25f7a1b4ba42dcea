import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

const MARGIN = 4;
/** About the width a QR code takes on the page; a short value gets larger modules, not a smaller image. */
const TARGET_PX = 440;

/** Whole pixels per module (shown unscaled, so every module is as wide as the next): 5 to 10. */
export function qrScale(value: string): number {
  const size = QRCode.create(value, { errorCorrectionLevel: 'M' }).modules.size + 2 * MARGIN;
  return Math.min(10, Math.max(5, Math.floor(TARGET_PX / size)));
}

/**
 * A QR code drawn in the page (no image service: the network is closed), as a data: image the CSP allows.
 * Error correction M, a 4-module quiet zone, and modules of 5 pixels or more (7 for an offer by reference, 53
 * modules a side) read well from a phone at a counter.
 */
export function QrCode({ value, alt, testId }: { value: string; alt: string; testId?: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    let scale: number;
    try {
      scale = qrScale(value);
    } catch {
      setSrc(undefined);
      return;
    }
    QRCode.toDataURL(value, { errorCorrectionLevel: 'M', margin: MARGIN, scale }).then((url) => live && setSrc(url), () => live && setSrc(undefined));
    return () => {
      live = false;
    };
  }, [value]);
  return src ? <img src={src} alt={alt} data-testid={testId} /> : null;
}
