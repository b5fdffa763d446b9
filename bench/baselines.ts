/**
 * The common approaches we compare against, written the way most QRIS code on GitHub writes them.
 * They are deliberately plain, not straw men: each gives the same answer as the library on the
 * benchmark inputs (the suites check that in their setup).
 */

import { Jimp } from 'jimp';
import type { JsQr } from '../src/image/engines.js';

const encoder = new TextEncoder();

/**
 * Reading a QR image the common way: jimp decodes everything at full size, and all the pixels go to
 * jsQR (called without options: its default, 'attemptBoth').
 */
export async function naiveImageRead(jsQR: JsQr, bytes: Uint8Array): Promise<string | undefined> {
  const img = await Jimp.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { data, width, height } = img.bitmap;
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height)?.data;
}

/** CRC-16/CCITT-FALSE the usual way: encode to UTF-8, then a per-bit loop; four uppercase hex digits. */
export function bitwiseCrcHex(s: string): string {
  const bytes = encoder.encode(s);
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i]! << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export interface NaiveNode {
  id: string;
  length: number;
  value: string;
  children?: NaiveNode[];
}

function isTemplateId(id: number): boolean {
  return (id >= 26 && id <= 51) || id === 62 || id >= 64;
}

/** substr/parseInt TLV reader; templates (26-51, 62, 64-99) are read again, recursively. */
function naiveTlv(s: string, nested: boolean): NaiveNode[] {
  const nodes: NaiveNode[] = [];
  let i = 0;
  while (i < s.length) {
    const id = s.substr(i, 2);
    const length = parseInt(s.substr(i + 2, 2), 10);
    if (Number.isNaN(length) || i + 4 + length > s.length) throw new Error(`bad TLV at ${i}`);
    const value = s.substr(i + 4, length);
    const node: NaiveNode = { id, length, value };
    if (nested && isTemplateId(parseInt(id, 10))) node.children = naiveTlv(value, false);
    nodes.push(node);
    i += 4 + length;
  }
  return nodes;
}

/** The common parser: check the CRC (bitwise), then substr/parseInt TLV with nested templates. */
export function naiveParse(payload: string): NaiveNode[] {
  if (bitwiseCrcHex(payload.slice(0, -4)) !== payload.slice(-4).toUpperCase()) throw new Error('CRC mismatch');
  return naiveTlv(payload, true);
}

/**
 * The common static-to-dynamic converter: swap "010211" for "010212", insert the amount before
 * "5802ID", drop the old CRC and append a new one (bitwise). Breaks on payloads that already hold
 * an amount or a tip, or where "5802ID" or "010211" appear inside another value.
 */
export function naiveToDynamic(payload: string, amount: string): string {
  const body = payload.slice(0, -4).replace('010211', '010212');
  const [head, tail] = body.split('5802ID') as [string, string];
  const withAmount = head + '54' + String(amount.length).padStart(2, '0') + amount + '5802ID' + tail;
  return withAmount + bitwiseCrcHex(withAmount);
}
