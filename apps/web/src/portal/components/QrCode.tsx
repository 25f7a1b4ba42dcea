import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * A QR code drawn in the page (no image service: the network is closed), as a data: image the CSP allows.
 * Error correction M, a 4-module quiet zone and 5 pixels per module (shown unscaled) read well from a phone at a counter.
 */
export function QrCode({ value, alt, testId }: { value: string; alt: string; testId?: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { errorCorrectionLevel: 'M', margin: 4, scale: 5 }).then((url) => live && setSrc(url), () => live && setSrc(undefined));
    return () => {
      live = false;
    };
  }, [value]);
  return src ? <img src={src} alt={alt} data-testid={testId} /> : null;
}
