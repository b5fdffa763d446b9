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
  readonly tiles?: number;
  readonly hard: boolean;
}

/** The ladder for a detector; a step whose view equals an earlier one's is skipped. */
function ladder(name: Detector['name']): Step[] {
  if (name === 'zxing') {
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
async function read(det: Detector, g: Gray, hard: boolean, budget: Budget | undefined, where: string): Promise<Hit | null> {
  if (!budget) return det.read(g, hard);
  const mp = (g.width * g.height) / 1e6;
  const key = hard ? `${det.name}/hard` : det.name;
  const rate = budget.msPerMp.get(key) ?? (hard ? (budget.msPerMp.get(det.name) ?? 0) * HARD_FACTOR : 0);
  const start = performance.now();
  if (start + rate * mp > budget.deadline) {
    const why = start > budget.deadline ? 'it ran out' : 'the next look would not end in time';
    throw new QrisError('IMAGE_TIME_BUDGET', `No QR code was found within the time budget (timeBudgetMs ${budget.ms}): ${why}, before ${where}.`);
  }
  const hit = await det.read(g, hard);
  const seen = (performance.now() - start) / Math.max(mp, MIN_MP);
  budget.msPerMp.set(key, Math.max(budget.msPerMp.get(key) ?? 0, seen));
  return hit;
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

export async function locate(src: PixelSource, detectors: readonly Detector[], budget?: Budget): Promise<Found | null> {
  const long = Math.max(src.width, src.height);
  if (isUniform(await src.view(Math.min(FAST_SIDE, long)))) return null;
  for (const det of detectors) {
    const seen = new Set<string>();
    for (const step of ladder(det.name)) {
      const side = Math.min(step.side, long);
      if (step.tiles && long < 800) continue;
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
      if (step.tiles) {
        const hit = await tiles(view, step.tiles, step.filter, det, step.hard, budget);
        if (hit) return found(hit.hit, sx, sy, hit.ox, hit.oy, det, `${step.label} ${hit.label} @${side}`);
        continue;
      }
      const g = applyFilter(view, step.filter);
      if (!g) continue;
      const hit = await read(det, g, step.hard, budget, `${det.name} ${step.label} ${side}`);
      if (hit) return found(hit, sx, sy, 0, 0, det, `${step.label} ${side}`);
    }
  }
  return null;
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

/** An n×n grid of windows of size 2/(n+1) of the view, overlapping by half. */
async function tiles(
  view: Gray,
  n: number,
  filter: Step['filter'],
  det: Detector,
  hard: boolean,
  budget: Budget | undefined,
): Promise<{ hit: Hit; ox: number; oy: number; label: string } | null> {
  const tw = Math.floor((2 * view.width) / (n + 1));
  const th = Math.floor((2 * view.height) / (n + 1));
  // Centre tiles first: people aim at what they photograph.
  const order: [number, number][] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) order.push([i, j]);
  const c = (n - 1) / 2;
  order.sort((a, b) => Math.hypot(a[0] - c, a[1] - c) - Math.hypot(b[0] - c, b[1] - c));
  for (const [i, j] of order) {
    const ox = Math.floor((i * tw) / 2);
    const oy = Math.floor((j * th) / 2);
    const g = applyFilter(crop(view, ox, oy, tw, th), filter);
    if (!g) continue;
    const hit = await read(det, g, hard, budget, `${det.name} tile ${i},${j}`);
    if (hit) return { hit, ox, oy, label: `${i},${j}` };
  }
  return null;
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
