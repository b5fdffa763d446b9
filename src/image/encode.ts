/**
 * Rendering a payload as a QR code: the module matrix from `qrcode` (which picks mixed modes and the
 * smallest version), then our own writers: a 1-bit PNG (5-8x smaller and several times faster than
 * `qrcode.toBuffer`), an SVG of horizontal runs, a data URL, and half-block text for terminals.
 *
 * Platform-free: `renderers(getQrcode)` takes the way to reach qrcode (render-node.ts loads it on
 * first use, render-browser.ts imports it for the bundler), so nothing here imports a package.
 */
import { describeValue, QrisError } from '../errors.js';
import { base64Encode } from './base64.js';
import type { QrCodeLib } from './qrcode-lib.js';
import { writePng, type Rgba } from './png.js';

export type ErrorCorrectionLevel = 'L' | 'M' | 'Q' | 'H';

export interface RenderOptions {
  /** Pixels per module (PNG; SVG: user units per module). Ignored when `size` is given. @default 8 */
  readonly scale?: number | undefined;
  /**
   * Target width in pixels: the largest whole number of pixels per module that fits is used, so the
   * image is at most `size` wide and modules stay crisp. Fails with `BAD_OPTION` when too small.
   */
  readonly size?: number | undefined;
  /** Quiet zone in modules (the QR spec asks for 4). @default 4 */
  readonly margin?: number | undefined;
  /** Error-correction level. @default 'M' */
  readonly errorCorrectionLevel?: ErrorCorrectionLevel | undefined;
  /** Alias of `errorCorrectionLevel`. */
  readonly errorCorrection?: ErrorCorrectionLevel | undefined;
  /** `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`. @default { dark: '#000000', light: '#ffffff' } */
  readonly color?: { readonly dark?: string | undefined; readonly light?: string | undefined } | undefined;
}

export interface DataUrlOptions extends RenderOptions {
  /** @default 'png' */
  readonly type?: 'png' | 'svg' | undefined;
}

export interface TerminalOptions {
  /** Quiet zone in modules. @default 2 */
  readonly margin?: number | undefined;
  /** @default 'M' */
  readonly errorCorrectionLevel?: ErrorCorrectionLevel | undefined;
  readonly errorCorrection?: ErrorCorrectionLevel | undefined;
  /**
   * The terminal's background. On a dark terminal (the common case) the light modules are drawn as
   * blocks in the text colour; on a light one the dark modules are. @default 'dark'
   */
  readonly background?: 'dark' | 'light' | undefined;
}

interface Matrix {
  /** Modules per side without the quiet zone. */
  readonly n: number;
  readonly data: Uint8Array;
  readonly margin: number;
}

const MAX_SIDE = 16384;

/** The renderers of one entry point, bound to its way of reaching qrcode. */
export interface Renderers {
  /** The QR as a PNG file (1-bit grayscale, or a 1-bit palette for other colours). Synchronous. */
  readonly toPng: (payload: string, options?: RenderOptions) => Uint8Array<ArrayBuffer>;
  /** The QR as an SVG document (one path of horizontal runs, crisp edges). */
  readonly toSvg: (payload: string, options?: RenderOptions) => string;
  /** `data:image/png;base64,…` (or `data:image/svg+xml;base64,…` with `type: 'svg'`). */
  readonly toDataUrl: (payload: string, options?: DataUrlOptions) => string;
  /** The QR as text: two module rows per line with half-block characters (▀ ▄ █). */
  readonly toTerminal: (payload: string, options?: TerminalOptions) => string;
}

/** `getQrcode` is called on every render (it returns a cached module, or throws when missing). */
export function renderers(getQrcode: () => QrCodeLib): Renderers {
  const toSvg = (payload: string, options: RenderOptions = {}): string => svg(matrix(getQrcode(), payload, options, 4), options);
  const toPng = (payload: string, options: RenderOptions = {}): Uint8Array<ArrayBuffer> => png(matrix(getQrcode(), payload, options, 4), options);
  return {
    toPng,
    toSvg,
    toDataUrl(payload, options = {}) {
      if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'toDataUrl() options must be an object.');
      const type = options.type ?? 'png';
      if (type === 'svg') return 'data:image/svg+xml;base64,' + base64Encode(new TextEncoder().encode(toSvg(payload, options)));
      if (type !== 'png') throw new QrisError('BAD_OPTION', `type must be 'png' or 'svg'; got ${describeValue(type)}.`);
      return 'data:image/png;base64,' + base64Encode(toPng(payload, options));
    },
    toTerminal: (payload, options = {}) => terminal(matrix(getQrcode(), payload, options, 2), options),
  };
}

function png(m: Matrix, options: RenderOptions): Uint8Array<ArrayBuffer> {
  const total = m.n + 2 * m.margin;
  const scale = scaleOf(options, total);
  const [dark, light] = colors(options);
  return writePng({ modules: total, scale, isLight: lightAt(m), dark, light });
}

function svg(m: Matrix, options: RenderOptions): string {
  const total = m.n + 2 * m.margin;
  const px = total * scaleOf(options, total);
  const [dark, light] = colors(options);
  let d = '';
  for (let y = 0; y < m.n; y++) {
    let x = 0;
    while (x < m.n) {
      if (!m.data[y * m.n + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < m.n && m.data[y * m.n + x]) x++;
      d += `M${start + m.margin} ${y + m.margin}h${x - start}v1h${start - x}z`;
    }
  }
  const bg = light[3] === 0 ? '' : `<rect width="${total}" height="${total}" fill="${hex(light)}"${opacity(light)}/>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${total} ${total}" shape-rendering="crispEdges">` +
    `${bg}<path fill="${hex(dark)}"${opacity(dark)} d="${d}"/></svg>\n`
  );
}

function terminal(m: Matrix, options: TerminalOptions): string {
  const bg = options.background ?? 'dark';
  if (bg !== 'dark' && bg !== 'light') throw new QrisError('BAD_OPTION', `background must be 'dark' or 'light'; got ${describeValue(bg)}.`);
  const total = m.n + 2 * m.margin;
  const light = lightAt(m);
  // Outside the matrix (the odd last half row) counts as quiet zone, i.e. light.
  const ink = (x: number, y: number): boolean => (y >= total ? true : light(x, y)) === (bg === 'dark');
  const lines: string[] = [];
  for (let y = 0; y < total; y += 2) {
    let line = '';
    for (let x = 0; x < total; x++) {
      const top = ink(x, y);
      const bottom = ink(x, y + 1);
      line += top ? (bottom ? '█' : '▀') : bottom ? '▄' : ' ';
    }
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

// ---- shared ------------------------------------------------------------------------------------

function matrix(qrcode: QrCodeLib, payload: string, options: RenderOptions | TerminalOptions, defaultMargin: number): Matrix {
  if (typeof payload !== 'string') throw new QrisError('NOT_A_STRING', `Expected the payload as a string, got ${payload === null ? 'null' : typeof payload}.`);
  if (payload.length === 0) throw new QrisError('EMPTY_INPUT');
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'The options must be an object.');
  const level = options.errorCorrectionLevel ?? options.errorCorrection ?? 'M';
  if (level !== 'L' && level !== 'M' && level !== 'Q' && level !== 'H') {
    throw new QrisError('BAD_OPTION', `errorCorrectionLevel must be 'L', 'M', 'Q' or 'H'; got ${describeValue(level)}.`);
  }
  const margin = options.margin ?? defaultMargin;
  if (!Number.isInteger(margin) || margin < 0 || margin > 64)
    throw new QrisError('BAD_OPTION', `margin must be an integer from 0 to 64; got ${String(margin)}.`);
  let qr: { modules: { size: number; data: Uint8Array; reservedBit: Uint8Array } };
  try {
    // Mask fixed: qrcode's own mask choice costs ~75% of its time; ours below picks the same one.
    qr = qrcode.create(payload, { errorCorrectionLevel: level, maskPattern: 0 });
  } catch (cause) {
    throw new QrisError('TOO_LONG', `The payload does not fit in a QR code at level ${level}.`, { cause });
  }
  return { n: qr.modules.size, data: bestMask(qr.modules.data, qr.modules.reservedBit, qr.modules.size, level), margin };
}

// ---- mask selection ------------------------------------------------------------------------------

const ECL_BITS: Record<ErrorCorrectionLevel, number> = { L: 1, M: 0, Q: 3, H: 2 };

/** The 15 format bits (level + mask, BCH(15,5), XOR 0x5412) as in ISO/IEC 18004 §7.9. */
function formatBits(level: ErrorCorrectionLevel, mask: number): number {
  const d = (ECL_BITS[level] << 3) | mask;
  let r = d << 10;
  for (let bit = 14; bit >= 10; bit--) if ((r >> bit) & 1) r ^= 0x537 << (bit - 10);
  return ((d << 10) | r) ^ 0x5412;
}

function maskAt(p: number, i: number, j: number): number {
  switch (p) {
    case 0:
      return (i + j) % 2 === 0 ? 1 : 0;
    case 1:
      return i % 2 === 0 ? 1 : 0;
    case 2:
      return j % 3 === 0 ? 1 : 0;
    case 3:
      return (i + j) % 3 === 0 ? 1 : 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0 ? 1 : 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0 ? 1 : 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0 ? 1 : 0;
    default:
      return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0 ? 1 : 0;
  }
}

/**
 * Per symbol size: for each mask pattern, the pattern over the matrix and over its transpose, with
 * the function-pattern (reserved) modules cleared, so a candidate is one XOR per module. Sizes are
 * few (one per QR version), so the cache stays small.
 */
const MASK_TABLES = new Map<number, { rows: Uint8Array[]; cols: Uint8Array[] }>();

function maskTables(reserved: Uint8Array, n: number): { rows: Uint8Array[]; cols: Uint8Array[] } {
  let t = MASK_TABLES.get(n);
  if (t) return t;
  t = { rows: [], cols: [] };
  for (let p = 0; p < 8; p++) {
    const r = new Uint8Array(n * n);
    const c = new Uint8Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = reserved[i * n + j] ? 0 : maskAt(p, i, j);
        r[i * n + j] = v;
        c[j * n + i] = v;
      }
    }
    t.rows.push(r);
    t.cols.push(c);
  }
  MASK_TABLES.set(n, t);
  return t;
}

/**
 * Given the symbol masked with pattern 0, returns it with the pattern of lowest penalty: the same
 * rules, order and tie-break as qrcode's `getBestMask` (so the output is module-for-module what
 * `QRCode.create` alone gives), over flat arrays (and their transposes, so columns are scanned
 * like rows) instead of a getter call per module.
 */
function bestMask(masked0: Uint8Array, reserved: Uint8Array, n: number, level: ErrorCorrectionLevel): Uint8Array {
  const t = maskTables(reserved, n);
  const size = n * n;
  const base = new Uint8Array(size);
  const baseT = new Uint8Array(size);
  const m0 = t.rows[0]!;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = masked0[i * n + j]! ^ m0[i * n + j]!;
      base[i * n + j] = v;
      baseT[j * n + i] = v;
    }
  }
  let best = base;
  let bestPenalty = Infinity;
  const mT = new Uint8Array(size);
  for (let p = 0; p < 8; p++) {
    const m = new Uint8Array(size);
    const tr = t.rows[p]!;
    const tc = t.cols[p]!;
    for (let k = 0; k < size; k++) {
      m[k] = base[k]! ^ tr[k]!;
      mT[k] = baseT[k]! ^ tc[k]!;
    }
    const bits = formatBits(level, p);
    for (let b = 0; b < 15; b++) {
      const v = (bits >> b) & 1;
      const row = b < 6 ? b : b < 8 ? b + 1 : n - 15 + b;
      m[row * n + 8] = v;
      mT[8 * n + row] = v;
      const col = b < 8 ? n - b - 1 : b < 9 ? 15 - b : 14 - b;
      m[8 * n + col] = v;
      mT[col * n + 8] = v;
    }
    m[(n - 8) * n + 8] = 1;
    mT[8 * n + n - 8] = 1;
    const penalty = maskPenalty(m, mT, n);
    if (penalty < bestPenalty) {
      bestPenalty = penalty;
      best = m;
    }
  }
  return best;
}

/** Penalty rules 1 and 3 along the rows of `m` (pass the transpose for the columns). */
function linePenalty(m: Uint8Array, n: number): number {
  let points = 0;
  for (let a = 0, at = 0; a < n; a++, at += n) {
    let run = 0;
    let last = -1;
    let w = 0;
    for (let b = 0; b < n; b++) {
      const v = m[at + b]!;
      if (v === last) run++;
      else {
        if (run >= 5) points += run - 2;
        last = v;
        run = 1;
      }
      w = ((w << 1) & 0x7ff) | v;
      if (b >= 10 && (w === 0x5d0 || w === 0x05d)) points += 40;
    }
    if (run >= 5) points += run - 2;
  }
  return points;
}

/** ISO/IEC 18004 §7.8.3 penalty (N1 3, N2 3, N3 40, N4 10), as qrcode computes it. */
function maskPenalty(m: Uint8Array, mT: Uint8Array, n: number): number {
  // N1 (runs of 5+) and N3 (1011101 beside four light modules), rows then columns.
  let points = linePenalty(m, n) + linePenalty(mT, n);
  // N2: 2×2 blocks of one colour. N4: distance of the dark share from 50%.
  let blocks = 0;
  let dark = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = 0, k = i * n; j < n - 1; j++, k++) {
      const s = m[k]! + m[k + 1]! + m[k + n]! + m[k + n + 1]!;
      if (s === 0 || s === 4) blocks++;
      dark += m[k]!;
    }
    dark += m[i * n + n - 1]!;
  }
  for (let k = (n - 1) * n; k < n * n; k++) dark += m[k]!;
  points += 3 * blocks;
  points += 10 * Math.abs(Math.ceil((dark * 100) / (n * n) / 5) - 10);
  return points;
}

function lightAt(m: Matrix): (x: number, y: number) => boolean {
  return (x, y) => {
    const mx = x - m.margin;
    const my = y - m.margin;
    return mx < 0 || my < 0 || mx >= m.n || my >= m.n || m.data[my * m.n + mx] === 0;
  };
}

function scaleOf(options: RenderOptions, total: number): number {
  if (options.size !== undefined) {
    const size = options.size;
    if (!Number.isInteger(size) || size <= 0 || size > MAX_SIDE)
      throw new QrisError('BAD_OPTION', `size must be an integer from 1 to ${MAX_SIDE}; got ${String(size)}.`);
    const s = Math.floor(size / total);
    if (s < 1) throw new QrisError('BAD_OPTION', `size ${size} is too small: this code needs at least ${total} pixels (${total} modules with the margin).`);
    return s;
  }
  const s = options.scale ?? 8;
  if (!Number.isInteger(s) || s < 1 || s * total > MAX_SIDE)
    throw new QrisError('BAD_OPTION', `scale must be a positive integer with scale × ${total} modules ≤ ${MAX_SIDE}; got ${String(s)}.`);
  return s;
}

function colors(options: RenderOptions): [Rgba, Rgba] {
  const c = options.color ?? {};
  if (c === null || typeof c !== 'object') throw new QrisError('BAD_OPTION', 'color must be an object { dark, light }.');
  return [parseColor('color.dark', c.dark ?? '#000000'), parseColor('color.light', c.light ?? '#ffffff')];
}

function parseColor(name: string, v: unknown): Rgba {
  if (typeof v === 'string' && /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(v)) {
    let h = v.slice(1);
    if (h.length <= 4) h = [...h].map((ch) => ch + ch).join('');
    if (h.length === 6) h += 'ff';
    const n = (i: number): number => parseInt(h.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), n(6)];
  }
  throw new QrisError('BAD_OPTION', `${name} must be a hex colour like #000000 or #00000080; got ${describeValue(v)}.`);
}

const hex = (c: Rgba): string => '#' + [c[0], c[1], c[2]].map((v) => v.toString(16).padStart(2, '0')).join('');
const opacity = (c: Rgba): string => (c[3] === 255 ? '' : ` fill-opacity="${(c[3] / 255).toFixed(3)}"`);
