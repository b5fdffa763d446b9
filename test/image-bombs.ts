/**
 * Legal images that are cheap to send and expensive to read (issue 10 §1), generated in code so
 * nothing large is committed. Shared by test/image-budget.test.ts and bench/suites/image.ts.
 *
 * - `png16Interlaced`: 7000×7000, 16-bit RGBA, Adam7, blank (~380 KB; 392 MB decoded).
 * - `finderPng` / `finderJpeg`: 7000×7000 gray tiled with QR finder patterns (7×7 modules of 4 px,
 *   one module apart): every detector finds thousands of candidates and no code.
 * - `jpeg49mp`: a 7000×7000 colour pattern, under the default 50 MP cap.
 * - the same kinds just under the decoded-bytes caps, which are decoded and must stay bounded.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDeflate, crc32 } from 'node:zlib';
import sharp from 'sharp';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Deflates `n` bytes produced by `fill` in 1 MiB pieces (the raw image never exists whole). */
async function deflateStream(n: number, fill: (buf: Buffer, offset: number) => void): Promise<Buffer> {
  const d = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  d.on('data', (c: Buffer) => parts.push(c));
  const piece = Buffer.alloc(1 << 20);
  for (let at = 0; at < n; at += piece.length) {
    const len = Math.min(piece.length, n - at);
    fill(piece, at);
    if (!d.write(Buffer.from(piece.subarray(0, len)))) await once(d, 'drain');
  }
  d.end();
  await once(d, 'end');
  return Buffer.concat(parts);
}

export function png(width: number, height: number, depth: number, type: number, interlace: 0 | 1, idat: Buffer, extra: Buffer[] = []): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = type;
  ihdr[12] = interlace;
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), ...extra, chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** Raw (filtered) size of an Adam7 image: each pass has its own rows, each with a filter byte. */
function adam7Size(width: number, height: number, bytesPerPixel: number): number {
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ];
  let n = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((width - x0!) / dx!);
    const h = Math.ceil((height - y0!) / dy!);
    if (w > 0 && h > 0) n += h * (1 + w * bytesPerPixel);
  }
  return n;
}

/** Blank (fully transparent) 16-bit RGBA, interlaced: all-zero rows deflate ~1000:1. */
export async function png16Interlaced(side = 7000): Promise<Buffer> {
  const idat = await deflateStream(adam7Size(side, side, 8), (b) => b.fill(0));
  return png(side, side, 16, 6, 1, idat);
}

/** One gray row of the finder tiling: 8-module period, a 7-module finder then one light module. */
function finderValue(x: number, y: number, m: number): number {
  const mx = Math.floor(x / m) % 8;
  const my = Math.floor(y / m) % 8;
  if (mx === 7 || my === 7) return 255;
  const ring = Math.max(Math.abs(mx - 3), Math.abs(my - 3)); // 0..3 from the centre
  return ring === 3 || ring <= 1 ? 0 : 255;
}

/** Gray pixels of the finder tiling. */
export function finderGray(side: number, m = 4): Buffer {
  const row = new Uint8Array(side);
  const out = Buffer.alloc(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) row[x] = finderValue(x, y, m);
    out.set(row, y * side);
  }
  return out;
}

export async function finderPng(side = 7000): Promise<Buffer> {
  const stride = side + 1;
  const idat = await deflateStream(side * stride, (b, at) => {
    for (let i = 0; i < b.length; i++) {
      const p = at + i;
      const y = Math.floor(p / stride);
      const x = (p % stride) - 1;
      b[i] = x < 0 ? 0 : finderValue(x, y, 4);
    }
  });
  return png(side, side, 8, 0, 0, idat);
}

export async function finderJpeg(side = 7000): Promise<Buffer> {
  return sharp(finderGray(side), { raw: { width: side, height: side, channels: 1 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A smooth colour gradient: legal, 49 MP, nothing to find. */
export async function jpeg49mp(side = 7000): Promise<Buffer> {
  const w = 700;
  const small = Buffer.alloc(w * w * 3);
  for (let y = 0, i = 0; y < w; y++) for (let x = 0; x < w; x++, i += 3) [small[i], small[i + 1], small[i + 2]] = [x % 256, y % 256, (x * y) % 256];
  return sharp(small, { raw: { width: w, height: w, channels: 3 } })
    .resize(side, side, { kernel: 'nearest' })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * A progressive JPEG whose scans are repeated until the file holds `scans` of them: legal enough that
 * libjpeg only warns (each repeat is a full decoder pass), cheap to send.
 */
export async function jpegRepeatedScans(scans = 29_800, side = 256): Promise<Buffer> {
  const base = await sharp({ create: { width: side, height: side, channels: 3, background: '#808080' } })
    .jpeg({ progressive: true, quality: 80 })
    .toBuffer();
  // Split at the first SOS: header | scans | EOI.
  const firstSos = base.indexOf(Buffer.from([0xff, 0xda]));
  const eoi = base.lastIndexOf(Buffer.from([0xff, 0xd9]));
  const head = base.subarray(0, firstSos);
  const body = base.subarray(firstSos, eoi);
  const perCopy = body.filter((_, i) => body[i] === 0xff && body[i + 1] === 0xda).length;
  const parts: Buffer[] = [head];
  for (let n = 0; n < scans; n += perCopy) parts.push(body);
  parts.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

/** A 1-bit gray PNG strip, `width`×`height` (7,000,000×7 is 6 KB and drove sharp to 1.15 GB). */
export async function pngStrip(width = 7_000_000, height = 7): Promise<Buffer> {
  const stride = 1 + Math.ceil(width / 8);
  const idat = await deflateStream(stride * height, (buf) => buf.fill(0));
  return png(width, height, 1, 0, 0, idat);
}

/** A GIF whose logical screen is 16×16 and whose one frame declares `side`×`side` (minimal LZW data). */
export function gifFrameOverScreen(side = 8000): Buffer {
  const header = Buffer.from('GIF89a', 'latin1');
  const screen = Buffer.from([16, 0, 16, 0, 0x80, 0, 0]); // 16×16, global table of 2 colours
  const table = Buffer.from([0, 0, 0, 255, 255, 255]);
  const descriptor = Buffer.alloc(10);
  descriptor[0] = 0x2c;
  descriptor.writeUInt16LE(side, 5);
  descriptor.writeUInt16LE(side, 7);
  // LZW minimum code size 2, one sub-block with a clear code and an end code, then the trailer.
  const data = Buffer.from([2, 2, 0x4c, 0x01, 0, 0x3b]);
  return Buffer.concat([header, screen, table, descriptor, data]);
}

export const BOMBS = {
  'png 16-bit interlaced blank': () => png16Interlaced(),
  // Just under the default decoded-bytes cap (5600² × 8 = 251 MB): decoded, then one look.
  'png 16-bit interlaced blank 5600': () => png16Interlaced(5600),
  // Just under the portable engine's JPEG cap (5700² × 8 = 260 MB in MozJPEG).
  'jpeg finder tiling 5700': () => finderJpeg(5700),
  'png finder tiling': () => finderPng(),
  'jpeg finder tiling': () => finderJpeg(),
  'jpeg 49 MP': () => jpeg49mp(),
  // Issue 19: shapes the size caps missed.
  'jpeg 29800 repeated scans': () => jpegRepeatedScans(),
  'png strip 7000000x7': () => pngStrip(),
  'gif 8000x8000 frame in a 16x16 screen': () => Promise.resolve(gifFrameOverScreen()),
} as const;
export type BombName = keyof typeof BOMBS;

export interface BombRun {
  /** `ok <engine>` or the QrisError code. */
  readonly code: string;
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
}

/** Decodes `file` with `engine` in a fresh Node process (test/image-bomb-child.ts). */
export function runBomb(file: string, engine: string, env: Record<string, string> = {}): BombRun {
  const root = new URL('../', import.meta.url).pathname;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/image-bomb-child.ts', file, engine], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`bomb child failed (${r.status} ${r.signal ?? ''}): ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(line.slice('RESULT '.length)) as BombRun;
}

/** Writes every bomb to `dir`; returns name → path. */
export async function writeBombs(dir: string): Promise<Map<BombName, string>> {
  const out = new Map<BombName, string>();
  for (const [name, make] of Object.entries(BOMBS) as [BombName, () => Promise<Buffer>][]) {
    const path = join(dir, name.replace(/[^a-z0-9]+/gi, '-') + '.bin');
    writeFileSync(path, await make());
    out.set(name, path);
  }
  return out;
}
