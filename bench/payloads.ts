/** Realistic inputs for the benchmarks: CRC-valid Indonesian payloads from fixtures/dev-payloads.json. */
import { readFileSync } from 'node:fs';

interface Entry {
  payload: string;
  country: string;
  kind: string;
  crc_valid: boolean;
}

const entries = JSON.parse(readFileSync(new URL('../fixtures/dev-payloads.json', import.meta.url), 'utf8')) as Entry[];

const indonesian = entries.filter((e) => e.country === 'ID' && e.crc_valid && e.payload.length >= 190 && e.payload.length <= 260);

/** Picks `n` entries spread evenly over the list (so lengths and issuers vary). */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length < n) throw new Error(`bench: need ${n} fixture payloads, found ${items.length}.`);
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

/** 8 payloads of 190-260 characters, static and dynamic mixed. */
export const PAYLOADS: readonly string[] = spread(indonesian, 8).map((e) => e.payload);

/**
 * 8 static payloads a naive converter handles too: "010211", "5802ID", no amount (54) and no tip
 * (55) object. The substring checks are rough, which is fine for choosing inputs.
 */
export const STATIC_PAYLOADS: readonly string[] = spread(
  indonesian.filter((e) => e.kind === 'static' && e.payload.startsWith('000201010211') && e.payload.includes('5802ID') && !/5[45]0\d/.test(e.payload)),
  8,
).map((e) => e.payload);

/** Returns a function giving the items in turn, forever. `items.length` must be a power of two. */
export function cycle<T>(items: readonly T[]): () => T {
  const mask = items.length - 1;
  if (items.length === 0 || (items.length & mask) !== 0) throw new Error('cycle() needs a power-of-two number of items.');
  let i = 0;
  return () => items[(i = (i + 1) & mask)]!;
}
