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
  /** The symbol's text, normalised by `qrText` (the same on every engine). */
  readonly text: string;
  readonly corners: Corners;
  /** Modules per side, when the detector reports the symbol version (to blank its finder patterns). */
  readonly modules?: number;
}

export interface Detector {
  readonly name: 'jsqr' | 'zxing' | 'native';
  /** Codes found in `g`, at most `max` (jsQR finds one per call). `hard`: more effort (zxing: try harder, rotations, downscales). */
  read(g: Gray, hard: boolean, max: number): Promise<Hit[]>;
}

/**
 * A QR's text as every engine returns it: a leading byte-order mark and trailing CR/LF dropped
 * (writers add them; no EMVCo payload holds them, and engines disagree on keeping a BOM). Nothing
 * else changes, so byte-mode text such as base64 comes back as encoded.
 */
export function qrText(raw: string): string {
  let start = 0;
  let end = raw.length;
  while (start < end && raw.charCodeAt(start) === 0xfeff) start++;
  // 'ï»¿': a UTF-8 BOM read as ISO-8859-1, which is how a decoder that guessed Latin-1 shows it.
  while (raw.startsWith('\u00ef\u00bb\u00bf', start)) start += 3;
  while (end > start && (raw.charCodeAt(end - 1) === 0x0a || raw.charCodeAt(end - 1) === 0x0d)) end--;
  return start === 0 && end === raw.length ? raw : raw.slice(start, end);
}

export function jsqrDetector(jsQR: JsQr): Detector {
  return {
    name: 'jsqr',
    read(g) {
      // jsQR is synchronous, so the shared RGBA scratch buffer is safe here.
      const r = jsQR(toRgba(g, true), g.width, g.height, { inversionAttempts: 'attemptBoth' });
      if (!r || r.data.length === 0) return Promise.resolve([]);
      const l = r.location;
      return Promise.resolve([
        {
          text: qrText(r.data),
          corners: { topLeft: l.topLeftCorner, topRight: l.topRightCorner, bottomRight: l.bottomRightCorner, bottomLeft: l.bottomLeftCorner },
          ...(typeof r.version === 'number' ? { modules: 17 + 4 * r.version } : {}),
        },
      ]);
    },
  };
}

export function zxingDetector(zx: ZxingReader): Detector {
  return {
    name: 'zxing',
    async read(g, hard, max) {
      const results = await zx.readBarcodes(
        { data: toRgba(g, false), width: g.width, height: g.height, colorSpace: 'srgb' },
        { formats: ['QRCode'], tryHarder: hard, tryInvert: true, tryRotate: hard, tryDownscale: hard, maxNumberOfSymbols: max },
      );
      const hits: Hit[] = [];
      for (const r of results) {
        if (!r.isValid || r.text.length === 0) continue;
        const version = Number(r.version);
        hits.push({ text: qrText(r.text), corners: r.position, ...(Number.isInteger(version) && version > 0 ? { modules: 17 + 4 * version } : {}) });
      }
      return hits;
    },
  };
}

/** The part of the browser's `BarcodeDetector` used here (no DOM library needed to type-check). */
interface BarcodeDetectorLike {
  detect(image: unknown): Promise<{ rawValue: string; cornerPoints: readonly Point[] }[]>;
}
type BarcodeDetectorCtor = (new (o: { formats: string[] }) => BarcodeDetectorLike) & { getSupportedFormats?(): Promise<string[]> };

/**
 * The browser's own `BarcodeDetector` (Chromium on Android, ChromeOS and macOS; not on Linux or
 * Windows), which returns every symbol of an image at once. `null` where the runtime has none.
 */
export function nativeDetector(): Detector | null {
  const g = globalThis as unknown as { BarcodeDetector?: BarcodeDetectorCtor; ImageData?: new (d: Uint8ClampedArray, w: number, h: number) => unknown };
  const Ctor = g.BarcodeDetector;
  if (typeof Ctor !== 'function' || typeof g.ImageData !== 'function') return null;
  const ImageDataCtor = g.ImageData;
  let detector: BarcodeDetectorLike | null = null;
  return {
    name: 'native',
    async read(gray, _hard, max) {
      try {
        detector ??= new Ctor({ formats: ['qr_code'] });
        const results = await detector.detect(new ImageDataCtor(toRgba(gray, false), gray.width, gray.height));
        const hits: Hit[] = [];
        for (const r of results) {
          const p = r.cornerPoints;
          if (typeof r.rawValue !== 'string' || r.rawValue.length === 0 || p.length !== 4) continue;
          hits.push({ text: qrText(r.rawValue), corners: { topLeft: p[0]!, topRight: p[1]!, bottomRight: p[2]!, bottomLeft: p[3]! } });
          if (hits.length >= max) break;
        }
        return hits;
      } catch {
        // Declared but unsupported (no qr_code support on this platform): jsQR, which runs next, reads it.
        return [];
      }
    },
  };
}
