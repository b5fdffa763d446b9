/**
 * `decodeImage` for browsers and web workers: the browser decodes the image itself
 * (`createImageBitmap`, which also applies EXIF orientation), a canvas gives its RGBA, and the same
 * detection strategy and EMVCo check as in Node run on it (jsQR, bundled). No Node built-in, no
 * Buffer. Edge runtimes without `createImageBitmap` can still pass `ImageData`-like pixels.
 */
import jsQR from 'jsqr';
import { describeValue, QrisError } from '../errors.js';
import type { CrcCheck } from '../codec/tlv.js';
import { groupCodes, onePaymentCode, type ImageCode, type Position } from './codes.js';
import { jsqrDetector, nativeDetector, type Detector } from './detect.js';
import type { JsQr } from './engines.js';
import { downscale, rgbaToGray, type Gray } from './gray.js';
import { isBlobLike, readInput, type FetchOptions, type ImageInput } from './input.js';
import { checkShape, sniff, type ImageFormat } from './sniff.js';
import type { PixelSource } from './source.js';
import { budgetOf, DEFAULT_TIME_BUDGET_MS, locate, MAX_SYMBOLS } from './strategy.js';

/** Decoded pixels: `ImageData`, or anything of that shape (RGBA, 4 bytes per pixel, row-major). */
export interface ImageDataLike {
  readonly data: Uint8ClampedArray | Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Something a 2D canvas can draw: `ImageBitmap`, `HTMLCanvasElement`, `OffscreenCanvas`,
 * `HTMLImageElement` (loaded), `VideoFrame`. Typed by its size only, so no DOM library is needed.
 */
export interface DrawableLike {
  readonly width: number;
  readonly height: number;
}

/** What the browser `decodeImage` reads: everything Node's does, plus pixels and drawables. */
export type BrowserImageInput = ImageInput | ImageDataLike | DrawableLike;

export interface BrowserDecodeImageOptions {
  /** Largest encoded input accepted, in bytes (also caps a URL download). @default 20971520 (20 MiB) */
  readonly maxBytes?: number | undefined;
  /** Largest image accepted, in pixels, checked before the browser decodes it. @default 50000000 */
  readonly maxPixels?: number | undefined;
  /**
   * Time for the detection ladder once pixels are decoded; past it the decode fails with
   * `IMAGE_TIME_BUDGET` (as in Node; a blank or uniform image stops after its first look).
   * @default 6000
   */
  readonly timeBudgetMs?: number | undefined;
  /** Throw `IMAGE_NOT_EMVCO` when the payload's CRC is wrong (see Node's option). @default false */
  readonly strictCrc?: boolean | undefined;
  /**
   * Fetch an http(s) URL given as input (a `URL`, or a string with that scheme). Off, a URL is
   * refused with `IMAGE_URL_NOT_ALLOWED` before any request: a server passing a caller's field
   * straight in makes no outbound request it did not ask for. `fetch` options do not turn it on.
   * @default false
   */
  readonly allowUrl?: boolean | undefined;
  /** For URL inputs (with `allowUrl`): timeout, redirect limit, headers, a custom `fetch`, the address guard. */
  readonly fetch?: FetchOptions | undefined;
  /** Return every code in the picture instead of the one payment code (see Node's option). @default false */
  readonly all?: boolean | undefined;
}

/** What a picture holds, read with `all: true`. */
export interface BrowserDecodedImages {
  /** Every distinct text found (at most 8 symbols are read), in reading order. */
  readonly codes: readonly ImageCode[];
  /** The encoded format, or `'pixels'` for an ImageData, canvas or bitmap input. */
  readonly format: ImageFormat | 'pixels';
  readonly width: number;
  readonly height: number;
  /** `native`: the browser's own `BarcodeDetector`, where it has one; jsQR (bundled) otherwise. */
  readonly engine: 'canvas+jsqr' | 'canvas+native';
}

export interface BrowserDecodedImage extends BrowserDecodedImages {
  readonly payload: string;
  readonly position: Position;
  readonly crc: CrcCheck;
}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const DEFAULT_MAX_PIXELS = 50_000_000;

const MIME: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', bmp: 'image/bmp', webp: 'image/webp' };

/**
 * Reads the QRIS / EMVCo payload from an image in the browser, with Node's rule: every code in the
 * picture is looked for; one distinct payment code is returned, different ones are refused with
 * `IMAGE_MULTIPLE_CODES`; `all: true` returns them all. Every failure is a `QrisError`.
 */
export function decodeImage(input: BrowserImageInput, options: BrowserDecodeImageOptions & { readonly all: true }): Promise<BrowserDecodedImages>;
export function decodeImage(input: BrowserImageInput, options?: BrowserDecodeImageOptions): Promise<BrowserDecodedImage>;
export async function decodeImage(input: BrowserImageInput, options: BrowserDecodeImageOptions = {}): Promise<BrowserDecodedImage | BrowserDecodedImages> {
  const o = checkOptions(options);
  let rgba: ImageDataLike;
  let format: ImageFormat | 'pixels' = 'pixels';
  if (isImageDataLike(input)) {
    checkPixels(input.width, input.height, o.maxPixels);
    if (input.data.length < input.width * input.height * 4) {
      throw new QrisError(
        'IMAGE_CORRUPT',
        `The pixel data holds ${input.data.length} bytes; ${input.width}×${input.height} RGBA needs ${input.width * input.height * 4}.`,
      );
    }
    rgba = input;
  } else if (isDrawable(input)) {
    checkPixels(input.width, input.height, o.maxPixels);
    rgba = draw(input, input.width, input.height);
  } else {
    const bytes = await readInput(input, o.maxBytes, o.fetch, undefined, o.allowUrl);
    const header = sniff(bytes);
    checkPixels(header.width, header.height, o.maxPixels);
    checkFrame(header.framePixels, o.maxPixels);
    checkShape(header, bytes);
    format = header.format;
    rgba = await decodeBytes(bytes, header.format);
  }

  const src = rgbaSource(rgba);
  // The browser's BarcodeDetector returns every symbol at once where it exists; jsQR always runs after it.
  const detectors: Detector[] = [];
  const native = nativeDetector();
  if (native) detectors.push(native);
  detectors.push(jsqrDetector(jsQR as unknown as JsQr));
  const found = await locate(src, detectors, budgetOf(o.timeBudgetMs), MAX_SYMBOLS);
  const what = format === 'pixels' ? 'image' : `${format.toUpperCase()} image`;
  if (found.length === 0) throw new QrisError('IMAGE_NO_QR', `No QR code was found in the ${what} (${src.width}×${src.height}).`);
  const { codes, why } = groupCodes(found, src.width, src.height);
  const engine = found[0]!.detector === 'native' ? ('canvas+native' as const) : ('canvas+jsqr' as const);
  const picture = { codes, format, width: src.width, height: src.height, engine };
  if (o.all) return picture;
  const one = onePaymentCode(codes, why, o.strictCrc);
  return { payload: one.text, ...picture, position: one.position, crc: one.crc! };
}

function isImageDataLike(v: unknown): v is ImageDataLike {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return false;
  const d = (v as ImageDataLike).data;
  return (d instanceof Uint8ClampedArray || d instanceof Uint8Array) && typeof (v as ImageDataLike).width === 'number';
}

function isDrawable(v: unknown): v is DrawableLike {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || v instanceof ArrayBuffer || isBlobLike(v) || v instanceof URL) return false;
  return typeof (v as DrawableLike).width === 'number' && typeof (v as DrawableLike).height === 'number';
}

function checkPixels(width: number, height: number, maxPixels: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new QrisError('IMAGE_CORRUPT', `The image has no pixels (${describeValue(width)}×${describeValue(height)}).`);
  }
  if (width * height > maxPixels) {
    throw new QrisError('IMAGE_TOO_LARGE', `The image is ${width}×${height} (${width * height} pixels); the limit (maxPixels) is ${maxPixels}.`, {
      actual: `${width}x${height}`,
    });
  }
}

/** A GIF or WebP frame larger than its logical screen counts at its own size. */
function checkFrame(framePixels: number, maxPixels: number): void {
  if (framePixels > maxPixels) {
    throw new QrisError('IMAGE_TOO_LARGE', `The image holds a frame of ${framePixels} pixels; the limit (maxPixels) is ${maxPixels}.`, {
      actual: `frame ${framePixels} px`,
    });
  }
}

interface Canvas2D {
  drawImage(image: unknown, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): ImageDataLike;
}

/** A 2D context of a new canvas (OffscreenCanvas, else a DOM canvas). */
function context(width: number, height: number): Canvas2D {
  const g = globalThis as unknown as {
    OffscreenCanvas?: new (w: number, h: number) => { getContext(t: '2d', o?: object): Canvas2D | null };
    document?: { createElement(t: 'canvas'): { width: number; height: number; getContext(t: '2d', o?: object): Canvas2D | null } };
  };
  let ctx: Canvas2D | null = null;
  if (typeof g.OffscreenCanvas === 'function') ctx = new g.OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  else if (g.document) {
    const c = g.document.createElement('canvas');
    c.width = width;
    c.height = height;
    ctx = c.getContext('2d', { willReadFrequently: true });
  }
  if (!ctx)
    throw new QrisError(
      'IMAGE_ENGINE_MISSING',
      'This runtime has no 2D canvas (OffscreenCanvas or document): pass ImageData-like pixels { data, width, height } instead.',
    );
  return ctx;
}

function draw(image: unknown, width: number, height: number): ImageDataLike {
  const ctx = context(width, height);
  try {
    ctx.drawImage(image, 0, 0);
    return ctx.getImageData(0, 0, width, height);
  } catch (cause) {
    // A detached bitmap, a tainted (cross-origin) canvas, an image not yet loaded.
    const msg = cause instanceof Error ? cause.message : String(cause);
    throw new QrisError('IMAGE_CORRUPT', `The image could not be drawn to a canvas: ${msg.slice(0, 120)}`, { cause });
  }
}

/** The browser's own decoder, upright (EXIF orientation applied, as Node's decoders do). */
async function decodeBytes(bytes: Uint8Array, format: ImageFormat): Promise<ImageDataLike> {
  const create = (globalThis as { createImageBitmap?: (b: unknown, o?: object) => Promise<DrawableLike & { close(): void }> }).createImageBitmap;
  if (typeof create !== 'function') {
    throw new QrisError(
      'IMAGE_ENGINE_MISSING',
      'This runtime has no createImageBitmap to decode image bytes: pass ImageData-like pixels { data, width, height } instead.',
    );
  }
  let bitmap: DrawableLike & { close(): void };
  try {
    bitmap = await create(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: MIME[format] }), { imageOrientation: 'from-image' });
  } catch (cause) {
    throw new QrisError('IMAGE_CORRUPT', `The ${format.toUpperCase()} image could not be decoded by the browser.`, { cause });
  }
  try {
    return draw(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

/** Gray views of the RGBA pixels, made on demand and cached per size (as pixels.ts does in Node). */
function rgbaSource(img: ImageDataLike): PixelSource<'canvas'> {
  const { width, height } = img;
  const data = img.data instanceof Uint8Array ? img.data : new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  const long = Math.max(width, height);
  const cache = new Map<number, Gray>();
  return {
    name: 'canvas',
    width,
    height,
    view(maxSide) {
      const key = long <= maxSide ? Infinity : maxSide;
      let g = cache.get(key);
      if (!g) {
        // Shrink by the whole factor while converting to gray, then area-average the rest.
        g = key === Infinity ? rgbaToGray(data, width, height, 1) : downscale(rgbaToGray(data, width, height, Math.floor(long / key)), key);
        cache.set(key, g);
      }
      return Promise.resolve(g);
    },
  };
}

interface Resolved {
  maxBytes: number;
  maxPixels: number;
  timeBudgetMs: number;
  strictCrc: boolean;
  fetch: FetchOptions;
  all: boolean;
  allowUrl: boolean;
}

function checkOptions(options: BrowserDecodeImageOptions): Resolved {
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'The options must be an object.');
  const maxBytes = positiveInt('maxBytes', options.maxBytes, DEFAULT_MAX_BYTES);
  const maxPixels = positiveInt('maxPixels', options.maxPixels, DEFAULT_MAX_PIXELS);
  const timeBudgetMs = positiveInt('timeBudgetMs', options.timeBudgetMs, DEFAULT_TIME_BUDGET_MS);
  const strictCrc = options.strictCrc ?? false;
  if (typeof strictCrc !== 'boolean') throw new QrisError('BAD_OPTION', 'strictCrc must be a boolean.');
  const all = options.all ?? false;
  if (typeof all !== 'boolean') throw new QrisError('BAD_OPTION', `all must be a boolean; got ${describeValue(all)}.`);
  const allowUrl = options.allowUrl ?? false;
  if (typeof allowUrl !== 'boolean') throw new QrisError('BAD_OPTION', `allowUrl must be a boolean; got ${describeValue(allowUrl)}.`);
  const f = options.fetch ?? {};
  if (typeof f !== 'object' || f === null) throw new QrisError('BAD_OPTION', 'fetch must be an object.');
  return { maxBytes, maxPixels, timeBudgetMs, strictCrc, fetch: f, all, allowUrl };
}

function positiveInt(name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)
    throw new QrisError('BAD_OPTION', `${name} must be a positive integer; got ${describeValue(v)}.`);
  return v;
}
