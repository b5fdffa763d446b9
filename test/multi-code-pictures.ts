/**
 * Test pictures for issue 17 (a second QR sticker over or beside the merchant's): a tampered
 * payload generator and pictures that hold two or more codes, generated in memory, deterministic
 * (seeded). A module for tests to import, not a test itself; its own proof is
 * multi-code-pictures.test.ts, which reads every picture with zxing-wasm.
 *
 * - `tamper(payload, seed)`: the same static QRIS with another account (26/01 after its NNS prefix,
 *   and 26/02), everything else byte for byte, CRC recomputed by the library's `serialize`.
 * - `LAYOUTS`: for a pair (A, B), pictures of two different codes side by side (both orders),
 *   stacked, one rotated, one much smaller, both on a noisy JPEG, one partly covering the other;
 *   and the controls (the same code twice, a URL code beside a QRIS, one code alone).
 * - `manyCodesPicture`, `bomPicture`, `crlfPicture`: nine codes (the cap is 8), a text that starts
 *   with a UTF-8 BOM, a text that ends in CR LF.
 * - `writeAll(dir)`: every picture into a folder, to look at.
 *
 * Codes are drawn from `qrcode`'s module matrix by fixtures/images/render.ts (the same renderer as the
 * image fixtures), on whole pixels per module when upright, and encoded by `sharp`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, serialize, type TlvInput, type TlvNode } from '../src/index.js';
import { blur, busy, drawQr, encode, noise, qrMatrix, rng, solid, type Matrix, type Rgb } from '../fixtures/images/render.js';

/** The demo's real static QRIS (DANA, "Warung Sayur Bu Sugeng"): code A of every pair. */
export const ORIGINAL = readFileSync(new URL('../fixtures/demo/static-qris.txt', import.meta.url), 'utf8').trim();

/** The plain URL of the "URL code beside a QRIS" control. */
export const MENU_URL = 'https://example.com/menu';

/** Digits of an NNS (national network code), the prefix of a QRIS merchant PAN. */
const NNS_LENGTH = 8;

/**
 * The fraudster's sticker: `payload` with another account number. Changes only the digits of 26/01
 * after its 8-digit NNS prefix and, when present, the digits of 26/02; keeps the merchant name
 * (59), the NMID (51/02), the acquirer (26/00) and every other byte, and recomputes the CRC.
 * Deterministic for a `seed`; never returns `payload` itself.
 */
export function tamper(payload: string, seed = 17): string {
  const parsed = parse(payload);
  const r = rng(seed);
  const account = parsed.nodes.find((n) => n.id === '26');
  if (!account?.children) throw new Error('tamper: the payload has no merchant account template 26');
  const digits = (v: string, from: number): string => {
    let out = v.slice(0, from);
    for (let i = from; i < v.length; i++) out += v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57 ? String(Math.floor(r() * 10)) : v[i];
    return out;
  };
  for (let attempt = 0; attempt < 8; attempt++) {
    const children: TlvInput[] = account.children.map((c) => {
      if (c.id === '01') return { id: c.id, value: digits(c.value, NNS_LENGTH) };
      if (c.id === '02') return { id: c.id, value: digits(c.value, 0) };
      return { id: c.id, value: c.value };
    });
    const tree: TlvInput[] = parsed.nodes.filter((n) => n.id !== '63').map((n) => (n.id === '26' ? { id: n.id, children } : copy(n)));
    const out = serialize(tree);
    if (out !== payload) return out;
  }
  throw new Error('tamper: 26/01 has no digits after its NNS');
}

const copy = (n: TlvNode): TlvInput => (n.children ? { id: n.id, children: n.children.map(copy) } : { id: n.id, value: n.value });

/** A code's place in a picture: its axis-aligned bounding box, quiet zone included, in pixels. */
export interface PlacedCode {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Picture {
  /** File-name-safe name, e.g. `side-by-side-ab`. */
  readonly name: string;
  readonly bytes: Buffer;
  readonly format: 'png' | 'jpeg';
  readonly width: number;
  readonly height: number;
  /** The distinct texts in the picture, in reading order (left to right, top to bottom). */
  readonly expected: readonly string[];
  /** Every code drawn (a code printed twice appears twice), in drawing order. */
  readonly codes: readonly PlacedCode[];
  /**
   * Distinct payment codes among `expected` (texts that start with "000201" once a leading BOM and
   * trailing CR/LF are set aside): 2 or more means the picture must be refused.
   */
  readonly paymentCodes: number;
}

export interface Layout {
  readonly name: string;
  /** What the picture shows, one line. */
  readonly description: string;
  /** Two different codes (both payment codes) when `a` and `b` differ; `false` for the controls. */
  readonly twoCodes: boolean;
  build(a: string, b: string): Promise<Picture>;
}

type Level = 'L' | 'M' | 'Q' | 'H';
const WHITE: [number, number, number] = [255, 255, 255];
const BLACK: [number, number, number] = [0, 0, 0];
/** A wall or counter: light grey, so the white stickers show their edges. */
const WALL: [number, number, number] = [226, 226, 220];
const QUIET = 4;
/** Pixels per module of the big codes, and the gap between stickers. */
const PX = 6;
const GAP = 48;
const BORDER = 40;

interface Code {
  readonly text: string;
  readonly m: Matrix;
  readonly px: number;
}
const code = (text: string, px = PX, level: Level = 'M'): Code => ({ text, m: qrMatrix(text, level), px });
/** Side of a code with its quiet zone, in pixels. */
const side = (c: Code): number => (c.m.n + 2 * QUIET) * c.px;

/** Draws `c` upright with its top-left corner (quiet zone included) at (x, y), whole pixels per module. */
function put(img: Rgb, c: Code, x: number, y: number, placed: PlacedCode[], angle = 0): void {
  const s = side(c);
  drawQr(img, c.m, { cx: x + s / 2, cy: y + s / 2, side: s, angle, margin: QUIET, dark: BLACK, light: WHITE });
  if (angle === 0) {
    placed.push({ text: c.text, x, y, width: s, height: s });
    return;
  }
  // The rotated square's bounding box.
  const a = (Math.abs(angle) * Math.PI) / 180;
  const b = s * (Math.cos(a) + Math.sin(a));
  const bx = Math.floor(x + s / 2 - b / 2);
  const by = Math.floor(y + s / 2 - b / 2);
  placed.push({ text: c.text, x: bx, y: by, width: Math.ceil(b), height: Math.ceil(b) });
}

function distinct(codes: readonly PlacedCode[]): string[] {
  const order = [...codes].sort((p, q) => (Math.abs(p.y - q.y) < Math.min(p.height, q.height) / 2 ? p.x - q.x : p.y - q.y));
  return [...new Set(order.map((p) => p.text))];
}

const paymentKey = (t: string): string | null => {
  const s = t.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
  return s.startsWith('000201') ? s : null;
};

async function picture(name: string, img: Rgb, placed: PlacedCode[], format: 'png' | 'jpeg', gray: boolean): Promise<Picture> {
  const bytes = await encode(img, format, { quality: 80, gray });
  const expected = distinct(placed);
  const payments = new Set(expected.map(paymentKey).filter((k) => k !== null));
  return { name, bytes, format, width: img.width, height: img.height, expected, codes: placed, paymentCodes: payments.size };
}

/** Codes in a row (or a column) on the wall, each vertically (horizontally) centred. */
async function row(name: string, codes: readonly Code[], vertical: boolean): Promise<Picture> {
  const sides = codes.map(side);
  const along = sides.reduce((t, s) => t + s, 0) + GAP * (codes.length - 1) + 2 * BORDER;
  const across = Math.max(...sides) + 2 * BORDER;
  const img = solid(vertical ? across : along, vertical ? along : across, WALL);
  const placed: PlacedCode[] = [];
  let at = BORDER;
  for (const [i, c] of codes.entries()) {
    const off = BORDER + Math.floor((across - 2 * BORDER - sides[i]!) / 2);
    if (vertical) put(img, c, off, at, placed);
    else put(img, c, at, off, placed);
    at += sides[i]! + GAP;
  }
  return picture(name, img, placed, 'png', true);
}

/** B turned by `angle` degrees beside A, on white. */
async function rotated(a: string, b: string, angle: number): Promise<Picture> {
  const A = code(a);
  const B = code(b);
  const sa = side(A);
  const sb = side(B);
  const turned = Math.ceil(sb * (Math.cos((angle * Math.PI) / 180) + Math.sin((angle * Math.PI) / 180)));
  const height = Math.max(sa, turned) + 2 * BORDER;
  const img = solid(BORDER + sa + GAP + turned + BORDER, height, WHITE);
  const placed: PlacedCode[] = [];
  put(img, A, BORDER, Math.floor((height - sa) / 2), placed);
  // The turned square's centre sits in the middle of its bounding box.
  put(img, B, BORDER + sa + GAP + Math.floor((turned - sb) / 2), Math.floor((height - sb) / 2), placed, angle);
  return picture('rotated', img, placed, 'png', true);
}

/** Both codes as white stickers on a cluttered, noisy, photo-like background; JPEG quality 80. */
async function noisy(a: string, b: string, seed: number): Promise<Picture> {
  const r = rng(seed);
  const A = code(a, 5);
  const B = code(b, 5);
  const sa = side(A);
  const sb = side(B);
  const width = 1200;
  const height = 720;
  const img = busy(width, height, r, 0.5);
  const placed: PlacedCode[] = [];
  put(img, A, 120 + Math.floor(r() * 60), Math.floor((height - sa) / 2 + (r() - 0.5) * 80), placed);
  put(img, B, width - 120 - sb - Math.floor(r() * 60), Math.floor((height - sb) / 2 + (r() - 0.5) * 80), placed);
  blur(img, 1);
  noise(img, 6, r);
  return picture('noisy-jpeg', img, placed, 'jpeg', false);
}

/**
 * B pasted over A's bottom-right corner. A is level H; B's quiet zone starts `cover` of the way into
 * A's modules, so A keeps its three finder patterns and loses about (1 - cover)² of its modules.
 */
async function overlapping(a: string, b: string, cover = 0.66): Promise<Picture> {
  const A = code(a, 7, 'H');
  const B = code(b, 5);
  const sa = side(A);
  const sb = side(B);
  const bx = BORDER + (QUIET + Math.round(cover * A.m.n)) * A.px;
  const width = Math.max(BORDER + sa, bx + sb) + BORDER;
  const img = solid(width, width, WALL);
  const placed: PlacedCode[] = [];
  put(img, A, BORDER, BORDER, placed);
  put(img, B, bx, bx, placed);
  return picture('overlapping', img, placed, 'png', true);
}

/** The layouts of issue 17, each for a pair (A, B): A is the merchant's code, B the sticker. */
export const LAYOUTS: readonly Layout[] = [
  {
    name: 'side-by-side-ab',
    description: 'A left, B right, same size',
    twoCodes: true,
    build: (a, b) => row('side-by-side-ab', [code(a), code(b)], false),
  },
  {
    name: 'side-by-side-ba',
    description: 'B left, A right, same size',
    twoCodes: true,
    build: (a, b) => row('side-by-side-ba', [code(b), code(a)], false),
  },
  { name: 'stacked', description: 'A above B', twoCodes: true, build: (a, b) => row('stacked', [code(a), code(b)], true) },
  { name: 'rotated', description: 'A upright, B turned 25° beside it, on white', twoCodes: true, build: (a, b) => rotated(a, b, 25) },
  {
    name: 'small-second',
    description: 'A big (9 px/module), B at a third of its size (3 px/module)',
    twoCodes: true,
    build: (a, b) => row('small-second', [code(a, 9), code(b, 3)], false),
  },
  {
    name: 'noisy-jpeg',
    description: 'A and B as white stickers on a cluttered noisy background, JPEG quality 80',
    twoCodes: true,
    build: (a, b) => noisy(a, b, 1701),
  },
  {
    name: 'overlapping',
    description: "B pasted over A's bottom-right corner; A (level H) keeps its finder patterns",
    twoCodes: true,
    build: (a, b) => overlapping(a, b),
  },
  // Controls: one payment code each, read normally.
  { name: 'same-twice', description: 'A twice side by side (control)', twoCodes: false, build: (a) => row('same-twice', [code(a), code(a)], false) },
  {
    name: 'url-beside',
    description: `a plain URL code (${MENU_URL}) left of A (control)`,
    twoCodes: false,
    build: (a) => row('url-beside', [code(MENU_URL), code(a)], false),
  },
  { name: 'alone', description: 'A alone (control)', twoCodes: false, build: (a) => row('alone', [code(a)], false) },
];

/** `count` different codes (A, then tampered copies of A) in a grid, 4 px per module: for the cap of 8. */
export async function manyCodesPicture(a: string = ORIGINAL, count = 9): Promise<Picture> {
  const texts = [a];
  for (let i = 1; texts.length < count; i++) texts.push(tamper(a, 1000 + i));
  const codes = texts.map((t) => code(t, 4));
  const cols = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / cols);
  const s = Math.max(...codes.map(side));
  const cell = s + GAP / 2;
  const img = solid(2 * BORDER + cols * cell - GAP / 2, 2 * BORDER + rows * cell - GAP / 2, WALL);
  const placed: PlacedCode[] = [];
  for (const [i, c] of codes.entries()) put(img, c, BORDER + (i % cols) * cell, BORDER + Math.floor(i / cols) * cell, placed);
  return picture(`many-${count}`, img, placed, 'png', true);
}

/** One code whose text is a UTF-8 byte order mark then `a`. */
export const bomPicture = (a: string = ORIGINAL): Promise<Picture> => row('bom', [code(`\uFEFF${a}`)], false);

/** One code whose text is `a` then CR LF. */
export const crlfPicture = (a: string = ORIGINAL): Promise<Picture> => row('crlf', [code(`${a}\r\n`)], false);

/** Every picture: the layouts for (ORIGINAL, tamper(ORIGINAL)), then many, BOM and CRLF. */
export async function allPictures(a: string = ORIGINAL, b: string = tamper(a)): Promise<Picture[]> {
  const out: Picture[] = [];
  for (const l of LAYOUTS) out.push(await l.build(a, b));
  out.push(await manyCodesPicture(a), await bomPicture(a), await crlfPicture(a));
  return out;
}

/** Writes every picture into `dir` (`<name>.png|jpg`, plus `index.json` with what each holds); returns the files. */
export async function writeAll(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const index = [];
  for (const p of await allPictures()) {
    const file = `${p.name}.${p.format === 'jpeg' ? 'jpg' : 'png'}`;
    writeFileSync(join(dir, file), p.bytes);
    files.push(file);
    index.push({ file, width: p.width, height: p.height, expected: p.expected, paymentCodes: p.paymentCodes, codes: p.codes });
  }
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  return files;
}
