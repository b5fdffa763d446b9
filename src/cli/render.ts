/**
 * The image module ('qris-codec/image'), loaded on first use so commands that neither read nor draw
 * images never load jimp: decoding for `<input>` images, and rendering for the CLI and the server.
 */
import type { DecodedImages, DecodeImageOptions, RenderOptions } from '../image/index.js';
import type * as ImageApi from '../image/index.js';
import { isQrisError } from '../errors.js';
import { looksLikeCpm } from './cpm.js';

export type { RenderOptions } from '../image/index.js';

/** What the CLI reports about a decoded image. */
export interface DecodedImage {
  readonly payload: string;
  /** Absent for a payer's (CPM) code, which decodeImage refuses with its text only. */
  readonly format?: string;
  readonly width?: number;
  readonly height?: number;
  readonly engine?: string;
}

type ImageModule = typeof ImageApi;
let loaded: Promise<ImageModule> | undefined;

export function imageModule(): Promise<ImageModule> {
  return (loaded ??= import('../image/index.js'));
}

export async function decodeImageBytes(input: Uint8Array | string, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  try {
    // The CLI reads one image per process: on this thread, with no worker start-up.
    const r = await (await imageModule()).decodeImage(input, { thread: 'caller', ...options });
    return { payload: r.payload, format: r.format, width: r.width, height: r.height, engine: r.engine };
  } catch (e) {
    // decodeImage returns merchant codes only; a payer's (CPM) code is refused with its whole text,
    // which info and validate read with the CPM rules.
    if (isQrisError(e) && e.code === 'IMAGE_NOT_EMVCO' && looksLikeCpm(e.actual)) return { payload: e.actual! };
    throw e;
  }
}

/** Every code in the picture (`qris decode --all`). */
export async function decodeAllCodes(input: Uint8Array, options: DecodeImageOptions = {}): Promise<DecodedImages> {
  return (await imageModule()).decodeImage(input, { thread: 'caller', ...options, all: true });
}

export async function renderPng(payload: string, options: RenderOptions = {}): Promise<Uint8Array> {
  return (await imageModule()).toPng(payload, options);
}

export async function renderSvg(payload: string, options: RenderOptions = {}): Promise<string> {
  return (await imageModule()).toSvg(payload, options);
}

export async function renderTerminal(payload: string): Promise<string> {
  return (await imageModule()).toTerminal(payload);
}
