/**
 * What both decoders (Node's decode.ts, the browser's decode-browser.ts) do with a hit: check that
 * the text is an EMVCo payload and describe where the code is.
 */
import { QrisError } from '../errors.js';
import { parse, type CrcCheck, type ParsedQris } from '../codec/tlv.js';
import type { Corners } from './detect.js';

/**
 * The text must be an EMVCo MPM payload: it opens with the Payload Format Indicator (ID 00, length
 * 02) and parses as TLV. The indicator's value is not checked here (some schemes print "02"):
 * `validate()` reports that, as the core does for text input. Returns the tree (its `crc` says
 * whether the CRC matches), so the caller need not parse it again.
 */
export function checkEmvco(text: string, strictCrc: boolean): ParsedQris {
  const shown = text.length > 512 ? text.slice(0, 512) + '…' : text;
  if (!text.startsWith('0002')) {
    throw new QrisError(
      'IMAGE_NOT_EMVCO',
      `A QR code was found, but its text does not start with the EMVCo Payload Format Indicator "0002": ${JSON.stringify(shown.slice(0, 60))}.`,
      {
        actual: shown,
      },
    );
  }
  let tree: ParsedQris;
  try {
    tree = parse(text, { verifyCrc: false });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new QrisError('IMAGE_NOT_EMVCO', `A QR code was found, but its text is not a well-formed EMVCo payload: ${why}`, { actual: shown, cause });
  }
  const crc: CrcCheck = tree.crc;
  if (strictCrc && !crc.valid) {
    const cause = new QrisError('CRC_MISMATCH', undefined, { expected: crc.computed, actual: crc.declared, tag: '63' });
    throw new QrisError('IMAGE_NOT_EMVCO', `A QR code was found, but its CRC is ${crc.declared} where the payload gives ${crc.computed} (strictCrc).`, {
      actual: shown,
      expected: crc.computed,
      tag: '63',
      cause,
    });
  }
  return tree;
}

/** The corners and the box around them, clamped to the image. */
export function positionOf(
  c: Corners,
  width: number,
  height: number,
): Corners & { readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } } {
  const xs = [c.topLeft.x, c.topRight.x, c.bottomRight.x, c.bottomLeft.x];
  const ys = [c.topLeft.y, c.topRight.y, c.bottomRight.y, c.bottomLeft.y];
  const x = Math.max(0, Math.floor(Math.min(...xs)));
  const y = Math.max(0, Math.floor(Math.min(...ys)));
  const box = { x, y, width: Math.min(width, Math.ceil(Math.max(...xs))) - x, height: Math.min(height, Math.ceil(Math.max(...ys))) - y };
  return { ...c, box };
}
