/**
 * The page's only image code, on the library's browser entry (`qris-codec/image`, browser build):
 * draw a payload as a QR on a canvas and as a PNG file with `toPng`, and read a payload from an
 * image file or a camera frame with `decodeImage` (size, pixel and decoded-byte limits from the
 * header first, then the detection ladder). Camera frames try the browser's BarcodeDetector first,
 * and report every different payment code it sees.
 */
import { isQrisError } from '../errors.js';
import { decodeImage, toPng } from '../image/browser.js';
import { distinctPaymentCodes } from './merchant.js';

/** The QR of `payload` as a PNG Blob, `scale` pixels per module (4-module quiet zone, ECL M). */
function pngBlob(payload: string, scale: number): Blob {
  return new Blob([toPng(payload, { scale })], { type: 'image/png' });
}

/** Draws `payload` on `canvas`, `scale` pixels per module: the same pixels as the PNG download. */
export async function drawQr(canvas: HTMLCanvasElement, payload: string, scale = 10): Promise<void> {
  const bitmap = await createImageBitmap(pngBlob(payload, scale));
  try {
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw on a canvas.');
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(bitmap, 0, 0);
  } finally {
    bitmap.close();
  }
}

/** The QR of `payload` as a PNG file (the download). */
export function qrPng(payload: string, scale = 10): Promise<Blob> {
  return Promise.resolve(pngBlob(payload, scale));
}

/** Reads the QR payload in an image file. Throws QrisError IMAGE_* codes (decodeImage's). */
export async function decodeFromFile(file: Blob): Promise<string> {
  return (await decodeImage(file)).payload;
}

/** What one camera frame held: nothing readable, one code, or several different payment codes. */
export type FrameReading =
  { readonly kind: 'none' } | { readonly kind: 'one'; readonly payload: string } | { readonly kind: 'several'; readonly payloads: readonly string[] };

/** Reads the QR codes in one picture (a bitmap or a video frame). */
export async function decodeFrame(source: CanvasImageSource, width: number, height: number): Promise<FrameReading> {
  const detected = await viaBarcodeDetector(source);
  if (detected.length > 1) return { kind: 'several', payloads: detected };
  if (detected.length === 1) return { kind: 'one', payload: detected[0]! };
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, width);
  canvas.height = Math.max(1, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return { kind: 'none' };
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  try {
    return { kind: 'one', payload: (await decodeImage(canvas)).payload };
  } catch (e) {
    // A frame without a readable QRIS is normal while the camera is pointed: try the next one.
    if (isQrisError(e) && (e.code === 'IMAGE_NO_QR' || e.code === 'IMAGE_NOT_EMVCO' || e.code === 'IMAGE_TIME_BUDGET')) return { kind: 'none' };
    throw e;
  }
}

interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<readonly { rawValue: string }[]>;
}

let detector: BarcodeDetectorLike | null | undefined;

/** The different payment codes the browser's BarcodeDetector sees in the picture ([] without one). */
async function viaBarcodeDetector(source: CanvasImageSource): Promise<string[]> {
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
  if (detector === null) return [];
  try {
    // Every code in view, not the first: a second sticker beside the shop's must not go unseen.
    return distinctPaymentCodes((await detector.detect(source)).map((c) => c.rawValue));
  } catch {
    return [];
  }
}
