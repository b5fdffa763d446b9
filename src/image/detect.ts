/**
 * QR detectors over grayscale pixels, one interface for both: jsQR (pure JavaScript) and zxing-wasm
 * (WebAssembly, 4-6x faster and reads smaller modules). Corners come back in the coordinates of the
 * pixels given; the strategy maps them to the original image.
 */
import type { JsQr, ZxingReader } from './engines.js';
import { toRgba, type Gray } from './gray.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Corners {
  readonly topLeft: Point;
  readonly topRight: Point;
  readonly bottomRight: Point;
  readonly bottomLeft: Point;
}

export interface Hit {
  readonly text: string;
  readonly corners: Corners;
}

export interface Detector {
  readonly name: 'jsqr' | 'zxing';
  /** `hard`: spend more effort (zxing: try harder, rotations, downscales). */
  read(g: Gray, hard: boolean): Promise<Hit | null>;
}

export function jsqrDetector(jsQR: JsQr): Detector {
  return {
    name: 'jsqr',
    read(g) {
      // jsQR is synchronous, so the shared RGBA scratch buffer is safe here.
      const r = jsQR(toRgba(g, true), g.width, g.height, { inversionAttempts: 'attemptBoth' });
      if (!r || r.data.length === 0) return Promise.resolve(null);
      const l = r.location;
      return Promise.resolve({
        text: r.data,
        corners: { topLeft: l.topLeftCorner, topRight: l.topRightCorner, bottomRight: l.bottomRightCorner, bottomLeft: l.bottomLeftCorner },
      });
    },
  };
}

export function zxingDetector(zx: ZxingReader): Detector {
  return {
    name: 'zxing',
    async read(g, hard) {
      const results = await zx.readBarcodes(
        { data: toRgba(g, false), width: g.width, height: g.height, colorSpace: 'srgb' },
        { formats: ['QRCode'], tryHarder: hard, tryInvert: true, tryRotate: hard, tryDownscale: hard, maxNumberOfSymbols: 1 },
      );
      const r = results.find((x) => x.isValid && x.text.length > 0);
      if (!r) return null;
      return { text: r.text, corners: r.position };
    },
  };
}
