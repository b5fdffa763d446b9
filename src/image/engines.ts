/**
 * Lazy loaders for the image libraries (Node, Deno and Bun; the browser entry bundles its own).
 * jimp, jsQR, qrcode and @jsquash/webp are optional peer dependencies, so `npm i qris-codec` stays
 * small: each loads on first use, and a missing one is a `QrisError` `IMAGE_ENGINE_MISSING` naming
 * the `npm i` to run. sharp and zxing-wasm are optional accelerators: when missing, the loader
 * resolves to `null` and decoding falls back to pure JavaScript. The optional ones are imported through a
 * specifier held in a variable so the type checker never needs them installed; the small interfaces
 * below describe the part of their API used here.
 *
 * `QRIS_CODEC_NO_ACCELERATORS=1` in the environment makes both look absent (used by tests and CI to
 * exercise the pure-JavaScript path on a machine where they are installed).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QrisError } from '../errors.js';
import type { QrCodeLib } from './qrcode-lib.js';

/** The one command that installs every library `qris-codec/image` can load (not the accelerators). */
export const IMAGE_INSTALL = 'npm i jimp jsqr qrcode @jsquash/webp';

/** A Node, Deno or Bun "cannot find module" error (ESM and CommonJS spell the code differently). */
function isNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

function engineMissing(pkg: string, cause: unknown): QrisError {
  return new QrisError('IMAGE_ENGINE_MISSING', `qris-codec/image needs the package "${pkg}", which is not installed: run \`${IMAGE_INSTALL}\`.`, {
    expected: pkg,
    cause,
  });
}

/** Awaits a package import, turning "not installed" into `IMAGE_ENGINE_MISSING`. */
async function required<T>(pkg: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    throw isNotFound(e) ? engineMissing(pkg, e) : e;
  }
}

// ---- sharp ------------------------------------------------------------------------------------

export interface SharpInstance {
  rotate(): SharpInstance;
  flatten(o: { background: string }): SharpInstance;
  grayscale(): SharpInstance;
  resize(o: { width: number; height: number; fit: 'inside'; withoutEnlargement: boolean; fastShrinkOnLoad?: boolean }): SharpInstance;
  raw(): SharpInstance;
  toBuffer(o: { resolveWithObject: true }): Promise<{ data: Uint8Array; info: { width: number; height: number; channels: number } }>;
}
export type SharpFactory = (
  input: Uint8Array,
  options: { limitInputPixels: number; failOn: 'error' | 'truncated' | 'warning' | 'none'; animated?: boolean; pages?: number },
) => SharpInstance;

// ---- zxing-wasm --------------------------------------------------------------------------------

export interface ZxingPoint {
  x: number;
  y: number;
}
export interface ZxingResult {
  isValid: boolean;
  text: string;
  bytes: Uint8Array;
  version?: string;
  position: { topLeft: ZxingPoint; topRight: ZxingPoint; bottomRight: ZxingPoint; bottomLeft: ZxingPoint };
}
export interface ZxingReader {
  readBarcodes(
    input: { data: Uint8ClampedArray; width: number; height: number; colorSpace?: string },
    options: {
      formats: string[];
      tryHarder?: boolean;
      tryInvert?: boolean;
      tryRotate?: boolean;
      tryDownscale?: boolean;
      tryDenoise?: boolean;
      binarizer?: 'LocalAverage' | 'GlobalHistogram' | 'FixedThreshold' | 'BoolCast';
      maxNumberOfSymbols?: number;
    },
  ): Promise<ZxingResult[]>;
}

// ---- jimp and jsQR -----------------------------------------------------------------------------

export interface JimpBitmap {
  data: Uint8Array;
  width: number;
  height: number;
}
export interface JimpModule {
  Jimp: { fromBuffer(b: Uint8Array): Promise<{ bitmap: JimpBitmap }> };
}
export type JsQr = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'dontInvert' | 'onlyInvert' | 'attemptBoth' | 'invertFirst' },
) => {
  data: string;
  binaryData: number[];
  version?: number;
  location: Record<'topLeftCorner' | 'topRightCorner' | 'bottomRightCorner' | 'bottomLeftCorner', ZxingPoint>;
} | null;

const disabled = (): boolean => {
  const v = process.env['QRIS_CODEC_NO_ACCELERATORS'];
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
};

let sharpP: Promise<SharpFactory | null> | undefined;
let zxingP: Promise<ZxingReader | null> | undefined;
let jimpP: Promise<JimpModule> | undefined;
let jsqrP: Promise<JsQr> | undefined;

/** Imports a module through a variable specifier (no compile-time dependency). */
function importOptional(spec: string): Promise<Record<string, unknown>> {
  return import(spec) as Promise<Record<string, unknown>>;
}

export function loadSharp(): Promise<SharpFactory | null> {
  if (disabled()) return Promise.resolve(null);
  return (sharpP ??= importOptional('sharp').then(
    (m) => (typeof m['default'] === 'function' ? m['default'] : m) as unknown as SharpFactory,
    () => null,
  ));
}

export function loadZxing(): Promise<ZxingReader | null> {
  if (disabled()) return Promise.resolve(null);
  return (zxingP ??= (async () => {
    try {
      const m = (await importOptional('zxing-wasm/reader')) as Record<string, unknown> & {
        prepareZXingModule(o: { overrides: { wasmBinary: ArrayBuffer }; fireImmediately: true }): Promise<unknown>;
      };
      const mod = (m['prepareZXingModule'] ? m : (m['default'] as typeof m)) ?? m;
      // The package fetches its .wasm from a CDN by default: hand it the bytes from node_modules.
      const wasm = readFileSync(resolveFromHere('zxing-wasm/reader/zxing_reader.wasm'));
      await mod.prepareZXingModule({
        overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
        fireImmediately: true,
      });
      return mod as unknown as ZxingReader;
    } catch {
      return null;
    }
  })());
}

/** Decodes WebP bytes to RGBA. */
export type WebpDecoder = (buffer: ArrayBuffer) => Promise<{ data: Uint8ClampedArray | Uint8Array; width: number; height: number }>;
let webpP: Promise<WebpDecoder> | undefined;

/** libwebp as WebAssembly, compiled from the .wasm in node_modules (never fetched). */
export function loadWebpDecoder(): Promise<WebpDecoder> {
  return (webpP ??= (async () => {
    const m = (await required('@jsquash/webp', () => import('@jsquash/webp/decode.js'))) as unknown as {
      init(module: WebAssembly.Module): Promise<void>;
      default: WebpDecoder;
    };
    await m.init(await WebAssembly.compile(readFileSync(resolveFromHere('@jsquash/webp/codec/dec/webp_dec.wasm'))));
    return m.default;
  })());
}

/** Decodes JPEG bytes to RGBA; `preserveOrientation: true` applies the EXIF orientation. */
export type JpegDecoder = (
  buffer: ArrayBuffer,
  options: { preserveOrientation: boolean },
) => Promise<{ data: Uint8ClampedArray | Uint8Array; width: number; height: number }>;
let jpegP: Promise<JpegDecoder | null> | undefined;

/**
 * MozJPEG as WebAssembly (@jsquash/jpeg, an optional peer), compiled from the .wasm in
 * node_modules (never fetched); `null` when it is not installed or the accelerators are switched
 * off. A browser build replaces this loader with one that fetches the .wasm from its bundle.
 */
export function loadJpegDecoder(): Promise<JpegDecoder | null> {
  if (disabled()) return Promise.resolve(null);
  return (jpegP ??= (async () => {
    try {
      const m = (await importOptional('@jsquash/jpeg/decode.js')) as unknown as {
        init(module: WebAssembly.Module, options: { print(): void; printErr(): void }): Promise<void>;
        default: JpegDecoder;
      };
      // libjpeg prints its warnings ("Premature end of JPEG file") to stderr: silence them, the
      // outcome is reported as a QrisError.
      const quiet = (): void => {};
      await m.init(await WebAssembly.compile(readFileSync(resolveFromHere('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm'))), { print: quiet, printErr: quiet });
      return m.default;
    } catch {
      return null;
    }
  })());
}

export function loadJimp(): Promise<JimpModule> {
  return (jimpP ??= required('jimp', () => import('jimp')) as unknown as Promise<JimpModule>);
}

export function loadJsQr(): Promise<JsQr> {
  return (jsqrP ??= required('jsqr', () => import('jsqr')).then((m) => {
    const f = (m as unknown as { default: unknown }).default;
    return (typeof f === 'function' ? f : (f as { default: unknown }).default) as JsQr;
  }));
}

let qrcodeLib: QrCodeLib | undefined;

/**
 * qrcode, loaded synchronously (it is CommonJS) because `toPng` and `toSvg` are synchronous; the
 * first render pays the load. Throws `IMAGE_ENGINE_MISSING` when it is not installed.
 */
export function loadQrcodeSync(): QrCodeLib {
  if (qrcodeLib) return qrcodeLib;
  let m: unknown;
  try {
    const file = resolveFromHere('qrcode');
    m = createRequire(file)(file);
  } catch (e) {
    throw isNotFound(e) ? engineMissing('qrcode', e) : e;
  }
  return (qrcodeLib = m as QrCodeLib);
}

/** Resolves a package file from this module's location (works from the ESM and the CJS build). */
function resolveFromHere(spec: string): string {
  const bases: string[] = [];
  if (typeof __filename === 'string') bases.push(__filename);
  const own = ownFile();
  if (own) bases.push(own);
  bases.push(join(process.cwd(), 'noop.js'));
  let last: unknown;
  for (const base of bases) {
    try {
      return createRequire(base).resolve(spec);
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

/** This file's path, read from a stack trace (ESM has no `__filename`; `import.meta` breaks CJS). */
export function ownFile(): string | undefined {
  // The first frame is this function's: either spelling (a file: URL, or a path under a loader such
  // as tsx), whichever comes first, never a later frame's (an `-e` script is a file: URL too).
  const stack = new Error().stack ?? '';
  const m = /((?:file:\/\/)?\/[^\s():]+?\.[cm]?[jt]s):\d+:\d+/.exec(stack);
  if (!m) return undefined;
  try {
    return m[1]!.startsWith('file:') ? fileURLToPath(m[1]!) : m[1]!;
  } catch {
    return undefined;
  }
}
