/**
 * Where to look, cheapest first. A phone photo is usually read from a ~1000 px view in a few
 * milliseconds; only when that fails does the ladder climb: contrast stretch (low contrast), bigger
 * views up to full resolution (small modules), blur (noise, JPEG blocking), a global Otsu threshold
 * (blur), and overlapping tiles (a small code inside a large busy picture, where a detector on the
 * whole frame is distracted by the background). Light-on-dark codes are handled by the detectors
 * (both try the inverted image).
 *
 * The climb is bounded: a `Budget` deadline is checked before every view and detector call, a call
 * the measured rate says would overrun it is not started, and a blank or uniform image stops after
 * its first look, since no filter or size can make a code appear where the pixels do not vary.
 */
import { QrisError } from '../errors.js';
import type { Corners, Detector, Hit, Point } from './detect.js';
import { blur3, crop, localMean, otsu, sharpen, stretch, type Gray } from './gray.js';
import { FAST_SIDE, type PixelSource } from './source.js';

export interface Found {
  readonly text: string;
  /** Corners in upright image coordinates. */
  readonly corners: Corners;
  readonly detector: Detector['name'];
  /** Which step found it, e.g. `"view 1000"` or `"tile 2,1 @3000"` (for tests and tuning). */
  readonly step: string;
}

interface Step {
  readonly label: string;
  readonly side: number;
  /** Transforms of the view; the tile grid when `tiles` is set. */
  readonly filter?: 'stretch' | 'blur' | 'otsu' | 'local' | 'blur-local' | 'sharpen';
  /** Windows of the view read one by one: an n×n grid, or its left, right, top and bottom 55%. */
  readonly tiles?: number | 'halves';
  readonly hard: boolean;
}

/** The ladder for a detector; a step whose view equals an earlier one's is skipped. */
function ladder(name: Detector['name']): Step[] {
  // The browser's BarcodeDetector gets zxing's short ladder (it is ZXing or the platform's reader).
  if (name === 'zxing' || name === 'native') {
    return [
      { label: 'view', side: FAST_SIDE, hard: false },
      { label: 'view', side: 2000, hard: true },
      { label: 'view', side: Infinity, hard: true },
      { label: 'stretch', side: FAST_SIDE, filter: 'stretch', hard: true },
      { label: 'otsu', side: FAST_SIDE, filter: 'otsu', hard: true },
      { label: 'tiles', side: 4000, tiles: 3, hard: true },
    ];
  }
  return [
    { label: 'view', side: FAST_SIDE, hard: false },
    { label: 'stretch', side: FAST_SIDE, filter: 'stretch', hard: false },
    { label: 'view', side: 1600, hard: false },
    { label: 'blur', side: FAST_SIDE, filter: 'blur', hard: false },
    { label: 'otsu', side: FAST_SIDE, filter: 'otsu', hard: false },
    { label: 'local', side: FAST_SIDE, filter: 'local', hard: false },
    { label: 'blur-local', side: FAST_SIDE, filter: 'blur-local', hard: false },
    { label: 'sharpen', side: FAST_SIDE, filter: 'sharpen', hard: false },
    { label: 'view', side: 2400, hard: false },
    { label: 'view', side: 600, hard: false },
    { label: 'blur', side: 1600, filter: 'blur', hard: false },
    // jsQR reads one code, and two codes in one view confuse its finder-pattern pick into reading
    // none: the left, right, top and bottom 55% each hold one of two codes side by side or stacked.
    // Late in the ladder, so a hard single code (noise: ~0.2 s per failed look) does not pay for it.
    { label: 'halves', side: FAST_SIDE, tiles: 'halves', hard: false },
    { label: 'tiles', side: 2400, tiles: 3, hard: false },
    { label: 'tiles', side: 4000, tiles: 3, hard: false },
    { label: 'tiles', side: 2400, tiles: 3, filter: 'stretch', hard: false },
  ];
}

/**
 * When the ladder must stop, and what detector calls have cost so far (milliseconds per
 * megapixel, per detector and effort). Owned by the caller: one per `decodeImage`.
 */
export interface Budget {
  /** `performance.now()` value after which no further detector call starts. */
  readonly deadline: number;
  /** The limit as configured, for the error message. */
  readonly ms: number;
  readonly msPerMp: Map<string, number>;
}

/** Default `timeBudgetMs` of both decoders (Node and browser). */
export const DEFAULT_TIME_BUDGET_MS = 6000;

export function budgetOf(ms: number): Budget {
  return { deadline: performance.now() + ms, ms, msPerMp: new Map() };
}

/** A hard look (zxing: try harder, rotations, downscales) measured ~4-13x an easy one per pixel. */
const HARD_FACTOR = 8;
/** Rates are taken over at least this many megapixels (a tiny view's fixed cost is not a rate). */
const MIN_MP = 0.25;

/**
 * One detector call under the budget. A call cannot be interrupted (jsQR is synchronous, zxing runs
 * inside WebAssembly), so it is refused when the rate seen so far says it would end past the
 * deadline: finder-pattern wallpaper makes jsQR 50x slower per pixel and zxing's hard look on a
 * 7000 px view 24 s, and the first look measures that.
 */
async function read(det: Detector, g: Gray, hard: boolean, budget: Budget | undefined, where: string, max: number): Promise<Hit[]> {
  if (!budget) return det.read(g, hard, max);
  const mp = (g.width * g.height) / 1e6;
  const key = hard ? `${det.name}/hard` : det.name;
  const rate = budget.msPerMp.get(key) ?? (hard ? (budget.msPerMp.get(det.name) ?? 0) * HARD_FACTOR : 0);
  const start = performance.now();
  if (start + rate * mp > budget.deadline) {
    const why = start > budget.deadline ? 'it ran out' : 'the next look would not end in time';
    throw new QrisError('IMAGE_TIME_BUDGET', `No QR code was found within the time budget (timeBudgetMs ${budget.ms}): ${why}, before ${where}.`);
  }
  const hits = await det.read(g, hard, max);
  const seen = (performance.now() - start) / Math.max(mp, MIN_MP);
  budget.msPerMp.set(key, Math.max(budget.msPerMp.get(key) ?? 0, seen));
  return hits;
}

/**
 * Pixel spread of a view under which it holds no code: JPEG ringing on a flat area stays a few
 * levels wide, while even a QR averaged down to a few pixels leaves dark and light ones far apart.
 */
const UNIFORM_SPREAD = 12;

/** Whether every pixel of the view lies within `UNIFORM_SPREAD` levels (a blank or flat image). */
export function isUniform(g: Gray): boolean {
  const d = g.data;
  let lo = 255;
  let hi = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo <= UNIFORM_SPREAD;
}

/** At most this many symbols are read from one picture (a sheet of stickers stays bounded). */
export const MAX_SYMBOLS = 8;

/**
 * Every code in the picture, up to `max`: the ladder climbs until a step finds one, then that same
 * step looks again with the codes found so far blanked out (zxing also returns several per look),
 * until a look finds nothing new. Empty when there is no code.
 */
export async function locate(src: PixelSource, detectors: readonly Detector[], budget?: Budget, max = MAX_SYMBOLS): Promise<Found[]> {
  const long = Math.max(src.width, src.height);
  if (isUniform(await src.view(Math.min(FAST_SIDE, long)))) return [];
  for (const det of detectors) {
    const seen = new Set<string>();
    for (const step of ladder(det.name)) {
      const side = Math.min(step.side, long);
      // A tile must still hold a whole code: grids only on large pictures.
      if (typeof step.tiles === 'number' && long < 800) continue;
      const key = `${side}/${step.filter ?? ''}/${step.tiles ?? 0}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (budget && performance.now() > budget.deadline) {
        throw new QrisError(
          'IMAGE_TIME_BUDGET',
          `No QR code was found within the time budget (timeBudgetMs ${budget.ms}): it ran out, before ${det.name} ${step.label} ${side}.`,
        );
      }
      const view = await src.view(side);
      const sx = src.width / view.width;
      const sy = src.height / view.height;
      const out: Found[] = [];
      if (step.tiles) {
        await tiles(view, step, det, budget, max, (hit, ox, oy, label) => out.push(found(hit, sx, sy, ox, oy, det, `${step.label} ${label} @${side}`)));
      } else {
        const g = applyFilter(view, step.filter);
        if (!g) continue;
        const where = `${det.name} ${step.label} ${side}`;
        for (const hit of await everyCode(det, g, step.hard, budget, max, where, [])) out.push(found(hit, sx, sy, 0, 0, det, `${step.label} ${side}`));
      }
      if (out.length > 0) return out;
    }
  }
  return [];
}

/**
 * Extra time the looks for further codes may take past the deadline: a code found late in the
 * ladder must not turn into a time-budget error, yet the search after it stays bounded.
 */
const GRACE = 0.25;

/**
 * The codes in one view: a look, then looks with every code found so far blanked, until one finds
 * nothing new or `max` are found. `known` are codes already found in this view (other tiles).
 */
async function everyCode(det: Detector, g: Gray, hard: boolean, budget: Budget | undefined, max: number, where: string, known: readonly Hit[]): Promise<Hit[]> {
  const hits: Hit[] = [];
  let fresh = (await read(det, blankAll(g, known, 'finders'), hard, budget, where, max)).filter((h) => !known.some((k) => sameSymbol(k, h)));
  const late = budget && { ...budget, deadline: budget.deadline + budget.ms * GRACE };
  while (fresh.length > 0) {
    hits.push(...fresh.slice(0, max - hits.length));
    if (hits.length >= max) break;
    const all = [...known, ...hits];
    // Nothing left outside the codes found: no other code can be there (the common single-code picture).
    if (uniformOutside(g, all)) break;
    const isNew = (h: Hit): boolean => !all.some((k) => sameSymbol(k, h));
    fresh = [];
    for (const look of MORE_LOOKS[det.name]) {
      const blanked = blankAll(g, all, look === 'finders' ? 'finders' : 'symbol');
      const view = look === 'symbol-blur' ? blur3(blanked) : blanked;
      fresh = (await read(det, view, hard, late, `${where} (looking for more codes)`, max - hits.length)).filter(isNew);
      if (fresh.length > 0) break;
    }
  }
  return hits;
}

/**
 * The looks for further codes once a view held one, each over the view with the codes found so far
 * blanked. zxing reads several symbols per look, and with only their finder patterns blanked a
 * sticker over part of a code survives. jsQR reads one, and leftover modules (alignment patterns)
 * mislead its finder search, so whole symbols go; a blurred look then reads a code whose modules
 * the downscale aliased (measured: a second sticker missed at 1000 px, read after a 3×3 blur).
 */
const MORE_LOOKS: Readonly<Record<Detector['name'], readonly ('finders' | 'symbol' | 'symbol-blur')[]>> = {
  zxing: ['finders', 'symbol'],
  native: ['finders', 'symbol'],
  jsqr: ['symbol', 'symbol-blur'],
};

/** Same text, and the centre of one inside the other's box: one symbol seen twice (tiles overlap). */
function sameSymbol(a: Hit, b: Hit): boolean {
  if (a.text !== b.text) return false;
  const c = centre(b.corners);
  const xs = [a.corners.topLeft.x, a.corners.topRight.x, a.corners.bottomRight.x, a.corners.bottomLeft.x];
  const ys = [a.corners.topLeft.y, a.corners.topRight.y, a.corners.bottomRight.y, a.corners.bottomLeft.y];
  return c.x >= Math.min(...xs) && c.x <= Math.max(...xs) && c.y >= Math.min(...ys) && c.y <= Math.max(...ys);
}

function centre(c: Corners): Point {
  return { x: (c.topLeft.x + c.topRight.x + c.bottomRight.x + c.bottomLeft.x) / 4, y: (c.topLeft.y + c.topRight.y + c.bottomRight.y + c.bottomLeft.y) / 4 };
}

/**
 * A copy of `g` with each hit blanked, filled with the level of its quiet zone (so a clean picture
 * becomes uniform, and no edge is left in either polarity): the whole symbol plus a module of
 * margin, or only its three finder patterns (7 modules, separator and a module of slack) so a code
 * overlapping it stays readable. `g` itself is a cached view and is never written.
 */
export function blankAll(g: Gray, hits: readonly Hit[], what: 'symbol' | 'finders'): Gray {
  if (hits.length === 0) return g;
  const out: Gray = { data: g.data.slice(), width: g.width, height: g.height };
  for (const h of hits) {
    const frame = frameOf(h.corners);
    if (!frame) continue;
    // 21 modules (version 1) when the detector gives no version: the largest finder share.
    const m = 1 / (h.modules ?? 21);
    const level = ringMean(g, frame, m);
    if (level === undefined) continue;
    if (what === 'symbol') {
      fillBox(out, frame, level, -m, 1 + m, -m, 1 + m);
      continue;
    }
    const f = Math.min(0.45, 9 * m);
    fillBox(out, frame, level, -m, f, -m, f);
    fillBox(out, frame, level, 1 - f, 1 + m, -m, f);
    fillBox(out, frame, level, -m, f, 1 - f, 1 + m);
  }
  return out;
}

/**
 * Whether every pixel outside the codes found (each symbol plus a module of margin) lies within
 * `UNIFORM_SPREAD` levels: `isUniform(blankAll(g, hits, 'symbol'))` without the copy, since this
 * runs after every single-code read.
 */
export function uniformOutside(g: Gray, hits: readonly Hit[]): boolean {
  const boxes: [Frame, number][] = [];
  for (const h of hits) {
    const f = frameOf(h.corners);
    if (f) boxes.push([f, 1 / (h.modules ?? 21)]);
  }
  const d = g.data;
  let lo = 255;
  let hi = 0;
  const spans: [number, number][] = [];
  for (let y = 0; y < g.height; y++) {
    spans.length = 0;
    for (const [f, m] of boxes) {
      const [a, b] = rowSpan(g, f, y, -m, 1 + m, -m, 1 + m);
      if (a < b) spans.push([a, b]);
    }
    spans.sort((p, q) => p[0] - q[0]);
    const row = y * g.width;
    let x = 0;
    for (const [a, b] of [...spans, [g.width, g.width] as [number, number]]) {
      for (; x < a; x++) {
        const v = d[row + x]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (b > x) x = b;
    }
    if (hi - lo > UNIFORM_SPREAD) return false;
  }
  return true;
}

/**
 * The symbol's own frame: u along top-left to top-right, v along top-left to bottom-left, both 0..1
 * over the symbol (affine, close enough for the slight perspective of a photo).
 */
interface Frame {
  readonly ox: number;
  readonly oy: number;
  readonly ux: number;
  readonly uy: number;
  readonly vx: number;
  readonly vy: number;
  readonly det: number;
}

function frameOf(c: Corners): Frame | null {
  const ox = c.topLeft.x;
  const oy = c.topLeft.y;
  const ux = c.topRight.x - ox;
  const uy = c.topRight.y - oy;
  const vx = c.bottomLeft.x - ox;
  const vy = c.bottomLeft.y - oy;
  const det = ux * vy - uy * vx;
  return Math.abs(det) < 1e-6 ? null : { ox, oy, ux, uy, vx, vy, det };
}

/**
 * The pixels of row `y` whose frame coordinates lie in [u0, u1] × [v0, v1], as [x0, x1) (empty when
 * x0 >= x1). u and v are linear in x along a row, so each bound is one division, not a test per pixel.
 */
function rowSpan(g: Gray, f: Frame, y: number, u0: number, u1: number, v0: number, v1: number): [number, number] {
  const dy = y + 0.5 - f.oy;
  let lo = 0;
  let hi = g.width;
  // u(x) = (dx*vy - dy*vx)/det, v(x) = (ux*dy - uy*dx)/det, with dx = x + 0.5 - ox.
  for (const [a, b, min, max] of [
    [f.vy / f.det, (-dy * f.vx) / f.det, u0, u1],
    [-f.uy / f.det, (f.ux * dy) / f.det, v0, v1],
  ] as const) {
    if (Math.abs(a) < 1e-12) {
      if (b < min || b > max) return [0, 0];
      continue;
    }
    let d0 = (min - b) / a;
    let d1 = (max - b) / a;
    if (d0 > d1) [d0, d1] = [d1, d0];
    lo = Math.max(lo, Math.ceil(d0 + f.ox - 0.5));
    hi = Math.min(hi, Math.floor(d1 + f.ox - 0.5) + 1);
  }
  return [lo, hi];
}

/** Rows the box can touch (the bounding box of its four corners). */
function rowsOf(g: Gray, f: Frame, u0: number, u1: number, v0: number, v1: number): [number, number] {
  const ys = [f.oy + u0 * f.uy + v0 * f.vy, f.oy + u1 * f.uy + v0 * f.vy, f.oy + u1 * f.uy + v1 * f.vy, f.oy + u0 * f.uy + v1 * f.vy];
  return [Math.max(0, Math.floor(Math.min(...ys))), Math.min(g.height - 1, Math.ceil(Math.max(...ys)))];
}

function fillBox(g: Gray, f: Frame, level: number, u0: number, u1: number, v0: number, v1: number): void {
  const [y0, y1] = rowsOf(g, f, u0, u1, v0, v1);
  for (let y = y0; y <= y1; y++) {
    const [x0, x1] = rowSpan(g, f, y, u0, u1, v0, v1);
    if (x0 < x1) g.data.fill(level, y * g.width + x0, y * g.width + x1);
  }
}

/** Mean level of the ring from 1 to 3 modules outside the symbol: its quiet zone. */
function ringMean(g: Gray, f: Frame, m: number): number | undefined {
  const [y0, y1] = rowsOf(g, f, -3 * m, 1 + 3 * m, -3 * m, 1 + 3 * m);
  let sum = 0;
  let n = 0;
  for (let y = y0; y <= y1; y++) {
    const [a0, a1] = rowSpan(g, f, y, -3 * m, 1 + 3 * m, -3 * m, 1 + 3 * m);
    const [b0, b1] = rowSpan(g, f, y, -m, 1 + m, -m, 1 + m);
    const row = y * g.width;
    for (let x = a0; x < a1; x++) {
      if (x >= b0 && x < b1) {
        x = b1 - 1; // skip the symbol itself
        continue;
      }
      sum += g.data[row + x]!;
      n++;
    }
  }
  return n === 0 ? undefined : Math.round(sum / n);
}

function applyFilter(g: Gray, filter: Step['filter']): Gray | null {
  if (filter === 'stretch') return stretch(g);
  if (filter === 'blur') return blur3(g);
  if (filter === 'otsu') return otsu(g);
  // A window of about one module for a code filling a good part of the view.
  if (filter === 'local') return localMean(g, Math.max(4, Math.round(Math.max(g.width, g.height) / 80)));
  // Noise on top of blur: smooth first, then a smaller window (small, soft modules).
  if (filter === 'blur-local') return localMean(blur3(g), Math.max(3, Math.round(Math.max(g.width, g.height) / 110)));
  if (filter === 'sharpen') return sharpen(g);
  return g;
}

interface Window {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly label: string;
}

/**
 * The windows of a step: an n×n grid of windows of size 2/(n+1) of the view, overlapping by half,
 * centre first (people aim at what they photograph); or the halves, 55% each, so two codes side by
 * side or stacked each get a window of their own.
 */
function windowsOf(view: Gray, tiles: number | 'halves'): Window[] {
  const { width: W, height: H } = view;
  if (tiles === 'halves') {
    const w = Math.ceil(W * 0.55);
    const h = Math.ceil(H * 0.55);
    return [
      { x: 0, y: 0, w, h: H, label: 'left' },
      { x: W - w, y: 0, w, h: H, label: 'right' },
      { x: 0, y: 0, w: W, h, label: 'top' },
      { x: 0, y: H - h, w: W, h, label: 'bottom' },
    ];
  }
  const n = tiles;
  const tw = Math.floor((2 * W) / (n + 1));
  const th = Math.floor((2 * H) / (n + 1));
  const order: [number, number][] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) order.push([i, j]);
  const c = (n - 1) / 2;
  order.sort((a, b) => Math.hypot(a[0] - c, a[1] - c) - Math.hypot(b[0] - c, b[1] - c));
  return order.map(([i, j]) => ({ x: Math.floor((i * tw) / 2), y: Math.floor((j * th) / 2), w: tw, h: th, label: `${i},${j}` }));
}

/**
 * Reads the windows of a step one by one. Once one holds a code, every window is read, with the
 * codes already found blanked, so a second code elsewhere in the picture is seen too.
 */
async function tiles(
  view: Gray,
  step: Step,
  det: Detector,
  budget: Budget | undefined,
  max: number,
  emit: (hit: Hit, ox: number, oy: number, label: string) => void,
): Promise<void> {
  /** Codes found so far, in view coordinates. */
  const found: Hit[] = [];
  for (const win of windowsOf(view, step.tiles!)) {
    if (found.length >= max) break;
    const g = applyFilter(crop(view, win.x, win.y, win.w, win.h), step.filter);
    if (!g) continue;
    const known = found.map((h) => shift(h, -win.x, -win.y));
    for (const hit of await everyCode(det, g, step.hard, budget, max - found.length, `${det.name} tile ${win.label}`, known)) {
      found.push(shift(hit, win.x, win.y));
      emit(hit, win.x, win.y, win.label);
    }
  }
  // A window read before the first code was found may have held a second code beside part of it:
  // one look at the whole view with every code found blanked sees it.
  const whole = found.length > 0 && found.length < max ? applyFilter(view, step.filter) : null;
  if (whole)
    for (const hit of await everyCode(det, whole, step.hard, budget, max - found.length, `${det.name} ${step.label} (whole view)`, found))
      emit(hit, 0, 0, 'whole');
}

function shift(h: Hit, dx: number, dy: number): Hit {
  const m = (p: Point): Point => ({ x: p.x + dx, y: p.y + dy });
  const c = h.corners;
  return { ...h, corners: { topLeft: m(c.topLeft), topRight: m(c.topRight), bottomRight: m(c.bottomRight), bottomLeft: m(c.bottomLeft) } };
}

function found(hit: Hit, sx: number, sy: number, ox: number, oy: number, det: Detector, step: string): Found {
  const map = (p: Point): Point => ({ x: round2((p.x + ox) * sx), y: round2((p.y + oy) * sy) });
  const c = hit.corners;
  return {
    text: hit.text,
    corners: { topLeft: map(c.topLeft), topRight: map(c.topRight), bottomRight: map(c.bottomRight), bottomLeft: map(c.bottomLeft) },
    detector: det.name,
    step,
  };
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
