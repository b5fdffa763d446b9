/**
 * A minimal PNG writer for two-colour images: 1-bit grayscale (black on white) or a 1-bit palette
 * (any two colours, with transparency), deflated by our own deflate.ts (no node:zlib, so the same
 * bytes come out in Node, browsers and edge runtimes). Rows of a QR repeat `scale` times,
 * so each module row is packed once and copied.
 */
import { zlibDeflate } from './deflate.js';

const CRC_TABLE = /* @__PURE__ */ (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export type Rgba = readonly [number, number, number, number];

export interface BitmapSpec {
  /** Modules per side, quiet zone included. */
  readonly modules: number;
  /** Pixels per module. */
  readonly scale: number;
  /** `isLight(x, y)` in module coordinates, quiet zone included. */
  readonly isLight: (x: number, y: number) => boolean;
  readonly dark: Rgba;
  readonly light: Rgba;
}

export function writePng(spec: BitmapSpec): Uint8Array<ArrayBuffer> {
  const { modules, scale, dark, light } = spec;
  const size = modules * scale;
  const stride = ((size + 7) >> 3) + 1;
  const raw = new Uint8Array(stride * size);
  const row = new Uint8Array(stride); // filter byte 0 (None), then bits
  for (let my = 0; my < modules; my++) {
    row.fill(0);
    for (let mx = 0; mx < modules; mx++) {
      if (!spec.isLight(mx, my)) continue;
      for (let px = mx * scale, end = px + scale; px < end; px++) row[1 + (px >> 3)]! |= 0x80 >> (px & 7);
    }
    for (let k = 0, at = my * scale * stride; k < scale; k++, at += stride) raw.set(row, at);
  }
  const plain =
    dark[0] === 0 && dark[1] === 0 && dark[2] === 0 && dark[3] === 255 && light[0] === 255 && light[1] === 255 && light[2] === 255 && light[3] === 255;
  const idat = zlibDeflate(raw);

  const chunks: [string, Uint8Array][] = [];
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, size);
  dv.setUint32(4, size);
  ihdr[8] = 1; // bit depth
  ihdr[9] = plain ? 0 : 3; // grayscale or palette
  chunks.push(['IHDR', ihdr]);
  if (!plain) {
    chunks.push(['PLTE', Uint8Array.of(dark[0], dark[1], dark[2], light[0], light[1], light[2])]);
    if (dark[3] !== 255 || light[3] !== 255) chunks.push(['tRNS', Uint8Array.of(dark[3], light[3])]);
  }
  chunks.push(['IDAT', idat]);
  chunks.push(['IEND', new Uint8Array(0)]);

  let total = 8;
  for (const [, data] of chunks) total += 12 + data.length;
  const out = new Uint8Array(total);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(out.buffer);
  let p = 8;
  for (const [type, data] of chunks) {
    view.setUint32(p, data.length);
    for (let i = 0; i < 4; i++) out[p + 4 + i] = type.charCodeAt(i);
    out.set(data, p + 8);
    view.setUint32(p + 8 + data.length, crc32(out, p + 4, p + 8 + data.length));
    p += 12 + data.length;
  }
  return out;
}
