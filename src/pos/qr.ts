/**
 * The page's only image code, behind four functions so it can move to the library's browser
 * entry (`qris-codec/image`) once that exists: draw a payload as a QR on a canvas, the same as a
 * PNG file, and read a payload from an image file or from a camera frame.
 * Drawing takes the module matrix from `qrcode` (as src/image/encode.ts does, same ECL M and
 * 4-module quiet zone). Reading uses the browser's BarcodeDetector when it has one, else jsQR on
 * the canvas pixels, at most MAX_SIDE pixels a side. A file's format and size come from its header
 * first (src/image/sniff.ts), so oversized images are refused before they are decoded.
 */
import jsQRModule from 'jsqr';
import QRCode from 'qrcode';
import { QrisError } from '../errors.js';
import { sniff } from '../image/sniff.js';

/** Pictures are scaled down to this many pixels a side before reading (bounds time and memory). */
export const MAX_SIDE = 1600;
/** Larger files are refused before decoding (as decodeImage's maxBytes default). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Larger images are refused from their header, before the browser inflates them (decodeImage's default). */
export const MAX_PIXELS = 50_000_000;
const MARGIN = 4;

type JsQr = (data: Uint8ClampedArray, width: number, height: number, options: { inversionAttempts: 'attemptBoth' }) => { data: string } | null;
// jsqr is CommonJS with `exports.default`: depending on the interop the default import is the
// function or the module object holding it.
const jsQR: JsQr = (typeof jsQRModule === 'function' ? jsQRModule : (jsQRModule as { default: unknown }).default) as JsQr;

/** Draws `payload` on `canvas`, `scale` pixels per module (async, like drawing from PNG bytes). */
export function drawQr(canvas: HTMLCanvasElement, payload: string, scale = 10): Promise<void> {
  const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const side = (n + 2 * MARGIN) * scale;
  canvas.width = side;
  canvas.height = side;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas.');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, side, side);
  ctx.fillStyle = '#000000';
  const data = qr.modules.data;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) if (data[y * n + x]) ctx.fillRect((x + MARGIN) * scale, (y + MARGIN) * scale, scale, scale);
  }
  return Promise.resolve();
}

/** The QR of `payload` as a PNG file (the download). */
export async function qrPng(payload: string, scale = 10): Promise<Blob> {
  const canvas = document.createElement('canvas');
  await drawQr(canvas, payload, scale);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The browser could not make a PNG.'))), 'image/png'));
}

/** Reads the QR payload in an image file. Throws QrisError IMAGE_* codes. */
export async function decodeFromFile(file: Blob): Promise<string> {
  if (file.size > MAX_FILE_BYTES) throw new QrisError('IMAGE_TOO_LARGE', `The image is ${file.size} bytes; the limit is ${MAX_FILE_BYTES}.`);
  // The header says the size: a tiny file claiming 100000x100000 pixels is refused un-inflated.
  const header = sniff(new Uint8Array(await file.arrayBuffer())); // at most MAX_FILE_BYTES
  const pixels = header.width * header.height;
  if (pixels > MAX_PIXELS) {
    throw new QrisError('IMAGE_TOO_LARGE', `The image is ${header.width}x${header.height} (${pixels} pixels); the limit is ${MAX_PIXELS}.`);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (e) {
    throw new QrisError('IMAGE_CORRUPT', 'The browser could not open this file as an image.', { cause: e });
  }
  try {
    const found = await decodeFrame(bitmap, bitmap.width, bitmap.height);
    if (found === null) throw new QrisError('IMAGE_NO_QR');
    return found;
  } finally {
    bitmap.close();
  }
}

/** Reads a QR in one picture (a bitmap or a video frame); null when none is found. */
export async function decodeFrame(source: CanvasImageSource, width: number, height: number): Promise<string | null> {
  const detected = await viaBarcodeDetector(source);
  if (detected !== null) return detected;
  // Full size (capped) first, then half: jsQR's binarizer sometimes reads a big photo better smaller.
  for (const cap of [MAX_SIDE, MAX_SIDE / 2]) {
    const k = Math.min(1, cap / Math.max(width, height));
    const w = Math.max(1, Math.round(width * k));
    const h = Math.max(1, Math.round(height * k));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    ctx.drawImage(source, 0, 0, w, h);
    const hit = jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'attemptBoth' });
    if (hit && hit.data !== '') return hit.data;
    if (k === 1) break; // already read at full size: a smaller copy of a small image adds nothing
  }
  return null;
}

interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<readonly { rawValue: string }[]>;
}

let detector: BarcodeDetectorLike | null | undefined;

async function viaBarcodeDetector(source: CanvasImageSource): Promise<string | null> {
  if (detector === undefined) {
    const Ctor = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => BarcodeDetectorLike }).BarcodeDetector;
    detector = null;
    if (Ctor) {
      try {
        detector = new Ctor({ formats: ['qr_code'] });
      } catch {
        detector = null; // present but without QR support
      }
    }
  }
  if (detector === null) return null;
  try {
    const codes = await detector.detect(source);
    return codes.find((c) => c.rawValue !== '')?.rawValue ?? null;
  } catch {
    return null;
  }
}
