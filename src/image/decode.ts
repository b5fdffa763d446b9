/**
 * `decodeImage`: input → bytes (capped) → header sniff (pixel and decoded-byte limits, before any
 * decode) → pixels (sharp; or WebAssembly MozJPEG / libwebp and our PNG reader; or jimp) →
 * detection ladder (jsQR, or zxing-wasm then jsQR) under a time budget → EMVCo check.
 */
import { describeValue, QrisError } from '../errors.js';
import type { CrcCheck } from '../codec/tlv.js';
import { groupCodes, onePaymentCode, type ImageCode, type Position } from './codes.js';
import { jsqrDetector, zxingDetector, type Detector } from './detect.js';
import { loadJpegDecoder, loadJsQr, loadSharp, loadZxing, type JpegDecoder, type SharpFactory, type ZxingReader } from './engines.js';
import { readInput, type FetchOptions, type ImageInput } from './input.js';
import { NODE_NET } from './node-fetch.js';
import { jimpSource, jpegWasmSource, pngSource, sharpSource, webpSource, type PixelSource, type PixelSourceName } from './pixels.js';
import { checkShape, decodedBytes, sniff, type ImageFormat, type ImageHeader } from './sniff.js';
import { budgetOf, DEFAULT_TIME_BUDGET_MS, locate, MAX_SYMBOLS } from './strategy.js';
import { decodePool } from './thread.js';

export type DecodeEngine = 'auto' | 'jimp' | 'portable' | 'accelerated';

export interface DecodeImageOptions {
  /**
   * - `'jimp'`: the design's pure JavaScript: our PNG reader, jimp for other formats, jsQR.
   * - `'portable'`: no native code: WebAssembly MozJPEG (@jsquash/jpeg) for JPEG, libwebp for
   *   WebP, our PNG reader, jimp for GIF and BMP; zxing-wasm to detect, jsQR as the last resort.
   *   Fails with `BAD_OPTION` when neither @jsquash/jpeg nor zxing-wasm is installed.
   * - `'accelerated'`: sharp for pixels and zxing-wasm to detect (whichever of the two is
   *   installed; jsQR still runs as a last resort); `BAD_OPTION` when neither is.
   * - `'auto'`: sharp when installed, else the portable decoders that are, else jimp; zxing-wasm
   *   when installed; jsQR last.
   * @default 'auto'
   */
  readonly engine?: DecodeEngine | undefined;
  /** Largest encoded input accepted, in bytes (also caps a URL download). @default 20971520 (20 MiB) */
  readonly maxBytes?: number | undefined;
  /** Largest image accepted, in pixels, read from the header before decoding. @default 50000000 */
  readonly maxPixels?: number | undefined;
  /**
   * Largest decoded form accepted, in bytes: width × height × bytes per pixel as the header gives
   * them (16-bit samples count 2 bytes, alpha counts, a palette counts as RGBA), checked before
   * decoding. A 50 MP 8-bit RGBA image fits; a 7000×7000 16-bit RGBA PNG (392 MB) does not.
   * @default 268435456 (256 MiB)
   */
  readonly maxDecodedBytes?: number | undefined;
  /**
   * Time for the detection ladder, in milliseconds, from the moment the pixels are decoded (the
   * decode itself is bounded by `maxPixels` and `maxDecodedBytes`). When it runs out before a code
   * is found, the decode fails with `IMAGE_TIME_BUDGET`: checked before every look, and a look the
   * rate measured so far says would overrun is not started. A blank or uniform image ends after
   * its first look.
   * @default 6000
   */
  readonly timeBudgetMs?: number | undefined;
  /**
   * Throw `IMAGE_NOT_EMVCO` (with a `CRC_MISMATCH` cause) when the payload's CRC is wrong. By
   * default such a payload is returned with `crc.valid === false`: the QR's own error correction
   * already guarantees the text was read as printed, and real stickers with a wrong CRC exist.
   * @default false
   */
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
  /**
   * Read every code in the picture (up to 8) and return them all, payment codes or not, instead of
   * the one payment code: for a poster with several merchants. Without it, two or more different
   * payment codes are refused with `IMAGE_MULTIPLE_CODES`.
   * @default false
   */
  readonly all?: boolean | undefined;
  /**
   * Where the pixels are decoded and the codes looked for. `'worker'`: in the package's worker pool
   * (started on first use, sized from the cores, reused, never keeping the process alive), so a
   * 12 MP photo does not stall the caller's event loop (a server's other requests keep flowing);
   * input is still read (and a URL fetched) on the calling thread, and the header checks run there
   * first. `'caller'`: on the calling thread, with no worker start-up (CLI one-shots, tests, a
   * worker of your own); the event loop waits for the whole decode.
   * @default 'worker'
   */
  readonly thread?: 'worker' | 'caller' | undefined;
}

/** What a picture holds, read with `all: true`. */
export interface DecodedImages {
  /** Every distinct text found (at most 8 symbols are read), in reading order. */
  readonly codes: readonly ImageCode[];
  readonly format: ImageFormat;
  /** Upright size (EXIF orientation applied). */
  readonly width: number;
  readonly height: number;
  /** What read them: pixel source + detector. */
  readonly engine: `${PixelSourceName}+${'jsqr' | 'zxing'}`;
}

export interface DecodedImage extends DecodedImages {
  /** The one payment code's text, as encoded (a leading BOM and trailing CR/LF removed). */
  readonly payload: string;
  /** Where the payment code is, in upright pixel coordinates: its corners and the box around them. */
  readonly position: Position;
  /** The payload's CRC (ID 63) as declared and as computed. */
  readonly crc: CrcCheck;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 50_000_000;
export const DEFAULT_MAX_DECODED_BYTES = 256 * 1024 * 1024;
export { DEFAULT_TIME_BUDGET_MS } from './strategy.js';

/**
 * Reads the QRIS / EMVCo payload from an image. Every code in the picture is looked for (at most 8
 * symbols): exactly one distinct payment code is returned, with every other code listed in `codes`;
 * two or more different payment codes are refused with `IMAGE_MULTIPLE_CODES`. With `all: true`,
 * every code is returned instead. Every failure is a `QrisError`.
 */
export function decodeImage(input: ImageInput, options: DecodeImageOptions & { readonly all: true }): Promise<DecodedImages>;
export function decodeImage(input: ImageInput, options?: DecodeImageOptions): Promise<DecodedImage>;
export function decodeImage(input: ImageInput, options: DecodeImageOptions = {}): Promise<DecodedImage | DecodedImages> {
  return decodeSymbols(input, options, MAX_SYMBOLS);
}

/**
 * `decodeImage` reading at most `maxSymbols` symbols. Not exported from the entry: 1 is the
 * single-code read of earlier versions, kept for the benchmark that prices looking for every code.
 */
export async function decodeSymbols(input: ImageInput, options: DecodeImageOptions, maxSymbols: number): Promise<DecodedImage | DecodedImages> {
  const o = checkOptions(options);
  const bytes = await readInput(input, o.maxBytes, o.fetch, NODE_NET, o.allowUrl);
  const header = sniff(bytes);
  checkSize(header, o);
  checkShape(header, bytes);
  if (o.thread === 'worker') {
    // A copy of its own to hand over (Buffer#slice would be a view): the caller's buffer stays usable.
    const copy = new Uint8Array(bytes);
    const { engine, maxBytes, maxPixels, maxDecodedBytes, timeBudgetMs, strictCrc, all } = o;
    const task = { bytes: copy, options: { engine, maxBytes, maxPixels, maxDecodedBytes, timeBudgetMs, strictCrc, all }, maxSymbols };
    return (await decodePool().run(task, [copy.buffer])) as DecodedImage | DecodedImages;
  }

  const libs = await loadEngines(o.engine, header);
  checkDecoderSize(header, libs, o.maxDecodedBytes);
  const src = await pixelSource(libs, bytes, header, o.maxPixels);

  const detectors: Detector[] = [];
  if (libs.zxing) detectors.push(zxingDetector(libs.zxing));
  detectors.push(jsqrDetector(await loadJsQr()));

  // The clock starts once the pixels are decoded: decoding is bounded by the size caps, and a
  // slow decode on a loaded machine must not eat the ladder's time.
  const found = await locate(src, detectors, budgetOf(o.timeBudgetMs), maxSymbols);
  if (found.length === 0) throw new QrisError('IMAGE_NO_QR', `No QR code was found in the ${header.format.toUpperCase()} image (${src.width}×${src.height}).`);

  const { codes, why } = groupCodes(found, src.width, src.height);
  const picture = {
    codes,
    format: header.format,
    width: src.width,
    height: src.height,
    engine: `${src.name}+${found[0]!.detector === 'zxing' ? 'zxing' : 'jsqr'}` as const,
  };
  if (o.all) return picture;
  const one = onePaymentCode(codes, why, o.strictCrc);
  return { payload: one.text, ...picture, position: one.position, crc: one.crc! };
}

/** The pixel and decoded-byte limits, from the header alone. */
function checkSize(header: ImageHeader, o: Resolved): void {
  const pixels = header.width * header.height;
  if (pixels > o.maxPixels) {
    throw new QrisError('IMAGE_TOO_LARGE', `The image is ${header.width}×${header.height} (${pixels} pixels); the limit (maxPixels) is ${o.maxPixels}.`, {
      actual: `${header.width}x${header.height}`,
    });
  }
  // A GIF or WebP frame may declare more than the logical screen; the decoder allocates the frame.
  if (header.framePixels > o.maxPixels) {
    throw new QrisError(
      'IMAGE_TOO_LARGE',
      `The ${header.format.toUpperCase()} image is ${header.width}×${header.height} but holds a frame of ${header.framePixels} pixels; the limit (maxPixels) is ${o.maxPixels}.`,
      { actual: `frame ${header.framePixels} px` },
    );
  }
  const size = decodedBytes(header);
  if (size > o.maxDecodedBytes) {
    throw new QrisError(
      'IMAGE_TOO_LARGE',
      `The ${header.width}×${header.height} image decodes to ${size} bytes (${header.bytesPerPixel} per pixel); the limit (maxDecodedBytes) is ${o.maxDecodedBytes}.`,
      {
        actual: `${header.width}x${header.height}x${header.bytesPerPixel}`,
      },
    );
  }
}

/**
 * What a JPEG costs the decoder that will read it, beyond the header's pixels × components:
 * jpeg-js (through jimp) holds 16-bit coefficients per component plus the RGBA output; MozJPEG
 * holds its RGBA output inside WebAssembly memory plus the copy handed out. Refused up front, so a
 * legal 49 MP JPEG is `IMAGE_TOO_LARGE` in milliseconds instead of 900 MB into a decode.
 */
function checkDecoderSize(header: ImageHeader, libs: Engines, maxDecodedBytes: number): void {
  if (header.format !== 'jpeg' || libs.sharp) return;
  const pixels = header.width * header.height;
  const [size, decoder] = libs.jpeg ? [pixels * 8, 'MozJPEG (WebAssembly)'] : [pixels * (2 * header.bytesPerPixel + 4), 'jpeg-js (jimp)'];
  if (size > maxDecodedBytes) {
    throw new QrisError(
      'IMAGE_TOO_LARGE',
      `The ${header.width}×${header.height} JPEG needs ${size} bytes in ${decoder}; the limit (maxDecodedBytes) is ${maxDecodedBytes}. Install sharp (engine 'accelerated') to read it.`,
      {
        actual: `${header.width}x${header.height}`,
      },
    );
  }
}

interface Engines {
  readonly sharp: SharpFactory | null;
  readonly jpeg: JpegDecoder | null;
  readonly zxing: ZxingReader | null;
}

/** The libraries an engine uses, loaded (each `null` when not installed or not wanted). */
async function loadEngines(engine: DecodeEngine, header: ImageHeader): Promise<Engines> {
  if (engine === 'jimp') return { sharp: null, jpeg: null, zxing: null };
  const [sharp, zxing] = await Promise.all([engine === 'portable' ? null : loadSharp(), loadZxing()]);
  // MozJPEG stands in for sharp ('auto' without it) and is the portable engine's JPEG decoder;
  // 'accelerated' keeps its meaning (native pixels).
  const wantJpeg = engine === 'portable' || (engine === 'auto' && !sharp && header.format === 'jpeg');
  const jpeg = wantJpeg ? await loadJpegDecoder() : null;
  if (engine === 'accelerated' && !sharp && !zxing) {
    throw new QrisError('BAD_OPTION', "engine: 'accelerated' needs sharp or zxing-wasm installed; neither could be loaded.");
  }
  if (engine === 'portable' && !jpeg && !zxing) {
    throw new QrisError('BAD_OPTION', "engine: 'portable' needs @jsquash/jpeg or zxing-wasm installed; neither could be loaded.");
  }
  return { sharp, jpeg, zxing };
}

async function pixelSource(libs: Engines, bytes: Uint8Array, header: ImageHeader, maxPixels: number): Promise<PixelSource> {
  // sharp's prebuilt libvips has no BMP loader: BMP always goes through jimp.
  if (libs.sharp && header.format !== 'bmp') return sharpSource(libs.sharp, bytes, header, maxPixels);
  if (header.format === 'webp') return webpSource(bytes, header);
  if (header.format === 'jpeg' && libs.jpeg) return jpegWasmSource(libs.jpeg, bytes, header);
  return (header.format === 'png' ? pngSource(bytes) : null) ?? (await jimpSource(bytes, header));
}

interface Resolved {
  engine: DecodeEngine;
  maxBytes: number;
  maxPixels: number;
  maxDecodedBytes: number;
  timeBudgetMs: number;
  strictCrc: boolean;
  fetch: FetchOptions;
  all: boolean;
  allowUrl: boolean;
  thread: 'worker' | 'caller';
}

function checkOptions(options: DecodeImageOptions): Resolved {
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'The options must be an object.');
  const engine = options.engine ?? 'auto';
  if (engine !== 'auto' && engine !== 'jimp' && engine !== 'portable' && engine !== 'accelerated') {
    throw new QrisError('BAD_OPTION', `engine must be 'auto', 'jimp', 'portable' or 'accelerated'; got ${describeValue(engine)}.`);
  }
  const maxBytes = positiveInt('maxBytes', options.maxBytes, DEFAULT_MAX_BYTES);
  const maxPixels = positiveInt('maxPixels', options.maxPixels, DEFAULT_MAX_PIXELS);
  const maxDecodedBytes = positiveInt('maxDecodedBytes', options.maxDecodedBytes, DEFAULT_MAX_DECODED_BYTES);
  const timeBudgetMs = positiveInt('timeBudgetMs', options.timeBudgetMs, DEFAULT_TIME_BUDGET_MS);
  const strictCrc = options.strictCrc ?? false;
  if (typeof strictCrc !== 'boolean') throw new QrisError('BAD_OPTION', 'strictCrc must be a boolean.');
  const all = options.all ?? false;
  if (typeof all !== 'boolean') throw new QrisError('BAD_OPTION', `all must be a boolean; got ${describeValue(all)}.`);
  const thread = options.thread ?? 'worker';
  if (thread !== 'worker' && thread !== 'caller') throw new QrisError('BAD_OPTION', `thread must be 'worker' or 'caller'; got ${describeValue(thread)}.`);
  const allowUrl = options.allowUrl ?? false;
  if (typeof allowUrl !== 'boolean') throw new QrisError('BAD_OPTION', `allowUrl must be a boolean; got ${describeValue(allowUrl)}.`);
  const f = options.fetch ?? {};
  if (typeof f !== 'object' || f === null) throw new QrisError('BAD_OPTION', 'fetch must be an object.');
  positiveInt('fetch.timeoutMs', f.timeoutMs, 1);
  if (f.maxRedirects !== undefined && !(Number.isInteger(f.maxRedirects) && f.maxRedirects >= 0)) {
    throw new QrisError('BAD_OPTION', `fetch.maxRedirects must be an integer >= 0; got ${String(f.maxRedirects)}.`);
  }
  if (f.fetch !== undefined && typeof f.fetch !== 'function') throw new QrisError('BAD_OPTION', 'fetch.fetch must be a function.');
  return { engine, maxBytes, maxPixels, maxDecodedBytes, timeBudgetMs, strictCrc, fetch: f, all, allowUrl, thread };
}

function positiveInt(name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)
    throw new QrisError('BAD_OPTION', `${name} must be a positive integer; got ${describeValue(v)}.`);
  return v;
}
