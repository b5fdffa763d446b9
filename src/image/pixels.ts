/**
 * Encoded image bytes to grayscale pixels, upright (EXIF orientation applied) and composited on
 * white. Sources with one shape: our PNG reader (pure JavaScript, straight to gray), jimp (pure
 * JavaScript, decodes other formats at full size once, to RGBA), libwebp and MozJPEG as
 * WebAssembly (the portable engine: no native code, no `node:` import here), and sharp
 * (native; a preview is decoded with shrink-on-load, so a 12 MP JPEG shrunk to 1000 px costs a
 * fraction of a full decode, and the full size is decoded only when the strategy asks for it).
 */
import { QrisError } from '../errors.js';
import { loadJimp, loadWebpDecoder, type JpegDecoder, type SharpFactory } from './engines.js';
import { downscale, opaqueRgbaToGray, orient, rgbaToGray, shrink, type Gray } from './gray.js';
import { readPngGray } from './png-read.js';
import type { ImageHeader } from './sniff.js';
import { FAST_SIDE, type PixelSource as Source } from './source.js';

export { FAST_SIDE } from './source.js';
export type PixelSourceName = 'jimp' | 'png' | 'sharp' | 'libwebp' | 'mozjpeg';
export type PixelSource = Source<PixelSourceName>;

export async function jimpSource(bytes: Uint8Array, header: ImageHeader): Promise<PixelSource> {
  const { Jimp } = await loadJimp();
  let bitmap: { data: Uint8Array; width: number; height: number };
  try {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    bitmap = (await Jimp.fromBuffer(buf)).bitmap;
  } catch (cause) {
    // jpeg-js refuses what it cannot hold (its own memory and resolution caps): a size limit,
    // not damage.
    const msg = cause instanceof Error ? cause.message : String(cause);
    if (/maxMemoryUsageInMB|maxResolutionInMP/.test(msg)) {
      throw new QrisError(
        'IMAGE_TOO_LARGE',
        `The ${header.width}×${header.height} ${header.format.toUpperCase()} image is too large for the pure-JavaScript decoder (engine 'jimp'); use engine 'portable' or 'accelerated', or a smaller image.`,
        {
          actual: `${header.width}x${header.height}`,
          cause,
        },
      );
    }
    throw corrupt(header, cause);
  }
  if (!bitmap || bitmap.width <= 0 || bitmap.height <= 0 || bitmap.data.length < bitmap.width * bitmap.height * 4) {
    throw new QrisError('IMAGE_CORRUPT', `The ${header.format.toUpperCase()} image decoded to no pixels.`);
  }
  return rgbaSource('jimp', bitmap.data, bitmap.width, bitmap.height);
}

/**
 * WebP without sharp: libwebp compiled to WebAssembly (@jsquash/webp), its .wasm read from
 * node_modules. jimp has no JavaScript WebP decoder, and its wasm plugin cannot load on Node 20.
 */
export async function webpSource(bytes: Uint8Array, header: ImageHeader): Promise<PixelSource> {
  const decode = await loadWebpDecoder();
  let img: { data: Uint8ClampedArray | Uint8Array; width: number; height: number };
  try {
    img = await decode(bytes.slice().buffer);
  } catch (cause) {
    throw corrupt(header, cause);
  }
  if (!img || img.width <= 0 || img.height <= 0 || img.data.length < img.width * img.height * 4) {
    throw new QrisError('IMAGE_CORRUPT', 'The WEBP image decoded to no pixels.');
  }
  const rgba = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  return rgbaSource('libwebp', rgba, img.width, img.height);
}

/**
 * JPEG without native code: MozJPEG compiled to WebAssembly (@jsquash/jpeg), about 8x faster than
 * jpeg-js on a 12 MP photo. The EXIF orientation (read by the sniffer) is applied to each gray
 * view: MozJPEG's own rotation of the full RGBA costs more than the decode.
 */
export async function jpegWasmSource(decode: JpegDecoder, bytes: Uint8Array, header: ImageHeader): Promise<PixelSource> {
  let img: { data: Uint8ClampedArray | Uint8Array; width: number; height: number } | undefined;
  try {
    img = await decode(bytes.slice().buffer, { preserveOrientation: false });
  } catch (cause) {
    throw corrupt(header, cause);
  }
  if (!img || img.width <= 0 || img.height <= 0 || img.data.length < img.width * img.height * 4) {
    throw new QrisError('IMAGE_CORRUPT', 'The JPEG image decoded to no pixels.');
  }
  const rgba = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  return rgbaSource('mozjpeg', rgba, img.width, img.height, true, header.orientation);
}

/**
 * A PNG read straight to gray by our own reader (no RGBA step); `null` for the PNGs it leaves to
 * jimp (a palette index out of range); damage throws `IMAGE_CORRUPT` (see png-read.ts).
 */
export function pngSource(bytes: Uint8Array): PixelSource | null {
  const g = readPngGray(bytes);
  if (!g) return null;
  const long = Math.max(g.width, g.height);
  return cachedViews('png', g.width, g.height, (maxSide) => {
    // Same two stages as for RGBA: the whole factor first, then area-average the rest.
    if (long <= maxSide) return g;
    return downscale(shrink(g, factor(g.width, g.height, maxSide)), maxSide);
  });
}

/**
 * The whole shrink factor for a view of `maxSide`, never more than the short side (a block must
 * lie inside the image: a 7000×3 strip shrunk by 7 would read past its last row).
 */
function factor(width: number, height: number, maxSide: number): number {
  return Math.max(1, Math.min(Math.floor(Math.max(width, height) / maxSide), width, height));
}

/** Gray views of an RGBA bitmap decoded at full size. */
function rgbaSource(name: 'jimp' | 'libwebp' | 'mozjpeg', data: Uint8Array, width: number, height: number, opaque = false, orientation = 1): PixelSource {
  const long = Math.max(width, height);
  const toGray = opaque ? opaqueRgbaToGray : rgbaToGray;
  const swap = orientation >= 5 && orientation <= 8;
  return cachedViews(name, swap ? height : width, swap ? width : height, (maxSide) => {
    // Shrink by the whole factor while converting to gray (a 12 MP photo never needs a
    // full-size gray copy for its first look), then area-average the rest.
    if (long <= maxSide) return orient(toGray(data, width, height, 1), orientation);
    return orient(downscale(toGray(data, width, height, factor(width, height, maxSide)), maxSide), orientation);
  });
}

/** Views made on demand and cached per size (every size at or above the long side is one view). */
function cachedViews(name: Exclude<PixelSourceName, 'sharp'>, width: number, height: number, make: (maxSide: number) => Gray): PixelSource {
  const long = Math.max(width, height);
  const cache = new Map<number, Gray>();
  return {
    name,
    width,
    height,
    view(maxSide) {
      const key = long <= maxSide ? Infinity : maxSide;
      let g = cache.get(key);
      if (!g) cache.set(key, (g = make(key)));
      return Promise.resolve(g);
    },
  };
}

export async function sharpSource(sharp: SharpFactory, bytes: Uint8Array, header: ImageHeader, maxPixels: number): Promise<PixelSource> {
  const cache = new Map<number, Promise<Gray>>();
  const decode = async (maxSide: number): Promise<Gray> => {
    try {
      let p = sharp(bytes, { limitInputPixels: Math.max(1, Math.min(maxPixels, 0x3fff * 0x3fff * 64)), failOn: 'error', pages: 1 })
        .rotate()
        .flatten({ background: '#ffffff' })
        .grayscale();
      if (maxSide < Infinity) p = p.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
      const { data, info } = await p.raw().toBuffer({ resolveWithObject: true });
      let gray = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (info.channels !== 1) {
        const c = info.channels;
        const out = new Uint8Array(info.width * info.height);
        for (let i = 0; i < out.length; i++) out[i] = gray[i * c]!;
        gray = out;
      }
      return { data: gray, width: info.width, height: info.height };
    } catch (cause) {
      const msg = cause instanceof Error ? cause.message : String(cause);
      if (/pixel limit|exceeds/i.test(msg)) throw new QrisError('IMAGE_TOO_LARGE', `The image exceeds the pixel limit (maxPixels ${maxPixels}).`, { cause });
      throw corrupt(header, cause);
    }
  };
  const { width, height } = await uprightSize(decode, cache, header);
  const long = Math.max(width, height);
  return {
    name: 'sharp',
    width,
    height,
    view(maxSide) {
      const key = long <= maxSide ? Infinity : maxSide;
      let g = cache.get(key);
      if (!g) cache.set(key, (g = decode(key)));
      return g;
    },
  };
}

/**
 * The upright size: EXIF orientation may swap width and height, which only the decoder knows, so
 * the first view (full size for small images, the 1000 px fast-path view for large ones, which
 * the strategy asks for first anyway) answers it.
 */
async function uprightSize(
  decode: (maxSide: number) => Promise<Gray>,
  cache: Map<number, Promise<Gray>>,
  header: ImageHeader,
): Promise<{ width: number; height: number }> {
  const long = Math.max(header.width, header.height);
  const key = long <= FAST_SIDE ? Infinity : FAST_SIDE;
  const p = decode(key);
  cache.set(key, p);
  const g = await p;
  if (key === Infinity) return { width: g.width, height: g.height };
  const swapped = header.width !== header.height && g.width > g.height !== header.width > header.height;
  return swapped ? { width: header.height, height: header.width } : { width: header.width, height: header.height };
}

function corrupt(header: ImageHeader, cause: unknown): QrisError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new QrisError('IMAGE_CORRUPT', `The ${header.format.toUpperCase()} image could not be decoded: ${msg}`, { cause });
}
