/**
 * `decodeImage`: input → bytes (capped) → header sniff (pixel limit, before any decode) → pixels
 * (sharp when available; else our PNG reader, libwebp or jimp) → detection ladder (jsQR, or
 * zxing-wasm then jsQR) → EMVCo check.
 */
import { describeValue, QrisError } from '../errors.js';
import type { CrcCheck } from '../tlv.js';
import { checkEmvco, positionOf } from './emvco.js';
import { jsqrDetector, zxingDetector, type Corners, type Detector } from './detect.js';
import { loadJsQr, loadSharp, loadZxing } from './engines.js';
import { readInput, type FetchOptions, type ImageInput } from './input.js';
import { jimpSource, pngSource, sharpSource, webpSource, type PixelSource } from './pixels.js';
import { sniff, type ImageFormat } from './sniff.js';
import { locate } from './strategy.js';

export type DecodeEngine = 'auto' | 'jimp' | 'accelerated';

export interface DecodeImageOptions {
  /**
   * `'jimp'`: pure JavaScript (jimp for pixels, jsQR to detect). `'accelerated'`: sharp for pixels
   * and zxing-wasm to detect (whichever of the two is installed; jsQR still runs as a last resort);
   * fails with `BAD_OPTION` when neither is. `'auto'`: accelerated when available, else jimp.
   * @default 'auto'
   */
  readonly engine?: DecodeEngine;
  /** Largest encoded input accepted, in bytes (also caps a URL download). @default 20971520 (20 MiB) */
  readonly maxBytes?: number;
  /** Largest image accepted, in pixels, read from the header before decoding. @default 50000000 */
  readonly maxPixels?: number;
  /**
   * Throw `IMAGE_NOT_EMVCO` (with a `CRC_MISMATCH` cause) when the payload's CRC is wrong. By
   * default such a payload is returned with `crc.valid === false`: the QR's own error correction
   * already guarantees the text was read as printed, and real stickers with a wrong CRC exist.
   * @default false
   */
  readonly strictCrc?: boolean;
  /** For URL inputs: timeout, redirect limit, headers, a custom `fetch`. */
  readonly fetch?: FetchOptions;
}

export interface DecodedImage {
  /** The QR's text, exactly as encoded. */
  readonly payload: string;
  readonly format: ImageFormat;
  /** Upright size (EXIF orientation applied). */
  readonly width: number;
  readonly height: number;
  /** Where the code is, in upright pixel coordinates: its corners and the box around them. */
  readonly position: Corners & { readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } };
  /** What read it: pixel source + detector. */
  readonly engine: `${'png' | 'jimp' | 'libwebp' | 'sharp'}+${'jsqr' | 'zxing'}`;
  /** The payload's CRC (ID 63) as declared and as computed. */
  readonly crc: CrcCheck;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 50_000_000;

/** Reads the QRIS / EMVCo payload from an image. Every failure is a `QrisError`. */
export async function decodeImage(input: ImageInput, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  const o = checkOptions(options);
  const bytes = await readInput(input, o.maxBytes, o.fetch);
  const header = sniff(bytes);
  const pixels = header.width * header.height;
  if (pixels > o.maxPixels) {
    throw new QrisError('IMAGE_TOO_LARGE', `The image is ${header.width}×${header.height} (${pixels} pixels); the limit (maxPixels) is ${o.maxPixels}.`, {
      actual: `${header.width}x${header.height}`,
    });
  }

  const accelerated = o.engine !== 'jimp';
  const [sharp, zxing] = accelerated ? await Promise.all([loadSharp(), loadZxing()]) : [null, null];
  if (o.engine === 'accelerated' && !sharp && !zxing) {
    throw new QrisError('BAD_OPTION', "engine: 'accelerated' needs sharp or zxing-wasm installed; neither could be loaded.");
  }

  let src: PixelSource;
  // sharp's prebuilt libvips has no BMP loader: BMP always goes through jimp.
  if (sharp && header.format !== 'bmp') src = await sharpSource(sharp, bytes, header, o.maxPixels);
  else if (header.format === 'webp') src = await webpSource(bytes, header);
  else src = (header.format === 'png' ? pngSource(bytes) : null) ?? (await jimpSource(bytes, header));

  const detectors: Detector[] = [];
  if (zxing) detectors.push(zxingDetector(zxing));
  detectors.push(jsqrDetector(await loadJsQr()));

  const hit = await locate(src, detectors);
  if (!hit) throw new QrisError('IMAGE_NO_QR', `No QR code was found in the ${header.format.toUpperCase()} image (${src.width}×${src.height}).`);

  const crc = checkEmvco(hit.text, o.strictCrc);
  return {
    payload: hit.text,
    format: header.format,
    width: src.width,
    height: src.height,
    position: positionOf(hit.corners, src.width, src.height),
    engine: `${src.name}+${hit.detector}`,
    crc,
  };
}

interface Resolved {
  engine: DecodeEngine;
  maxBytes: number;
  maxPixels: number;
  strictCrc: boolean;
  fetch: FetchOptions;
}

function checkOptions(options: DecodeImageOptions): Resolved {
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'The options must be an object.');
  const engine = options.engine ?? 'auto';
  if (engine !== 'auto' && engine !== 'jimp' && engine !== 'accelerated') {
    throw new QrisError('BAD_OPTION', `engine must be 'auto', 'jimp' or 'accelerated'; got ${describeValue(engine)}.`);
  }
  const maxBytes = positiveInt('maxBytes', options.maxBytes, DEFAULT_MAX_BYTES);
  const maxPixels = positiveInt('maxPixels', options.maxPixels, DEFAULT_MAX_PIXELS);
  const strictCrc = options.strictCrc ?? false;
  if (typeof strictCrc !== 'boolean') throw new QrisError('BAD_OPTION', 'strictCrc must be a boolean.');
  const f = options.fetch ?? {};
  if (typeof f !== 'object' || f === null) throw new QrisError('BAD_OPTION', 'fetch must be an object.');
  positiveInt('fetch.timeoutMs', f.timeoutMs, 1);
  if (f.maxRedirects !== undefined && !(Number.isInteger(f.maxRedirects) && f.maxRedirects >= 0)) {
    throw new QrisError('BAD_OPTION', `fetch.maxRedirects must be an integer >= 0; got ${String(f.maxRedirects)}.`);
  }
  if (f.fetch !== undefined && typeof f.fetch !== 'function') throw new QrisError('BAD_OPTION', 'fetch.fetch must be a function.');
  return { engine, maxBytes, maxPixels, strictCrc, fetch: f };
}

function positiveInt(name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw new QrisError('BAD_OPTION', `${name} must be a positive integer; got ${String(v)}.`);
  return v;
}
