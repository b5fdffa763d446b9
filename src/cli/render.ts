/**
 * The image module ('qris-codec/image'), loaded on first use so commands that neither read nor draw
 * images never load jimp: decoding for `<input>` images, and rendering for the CLI and the server.
 */
export interface RenderOptions {
  /** Image width in pixels (PNG) or user units (SVG). */
  readonly size?: number;
  /** Quiet zone in modules. */
  readonly margin?: number;
  readonly errorCorrection?: 'L' | 'M' | 'Q' | 'H';
}

export interface DecodedImage {
  readonly payload: string;
  readonly format?: string;
  readonly width?: number;
  readonly height?: number;
}

/** The part of the image module the CLI uses. */
interface ImageModule {
  decodeImage(input: Uint8Array | string, options?: Record<string, unknown>): Promise<DecodedImage>;
  toPng(payload: string, options?: RenderOptions): Uint8Array | Promise<Uint8Array>;
  toSvg(payload: string, options?: RenderOptions): string | Promise<string>;
  toTerminal(payload: string, options?: Record<string, unknown>): string | Promise<string>;
}

const IMAGE_MODULE = '../image/index.js';
let loaded: Promise<ImageModule> | undefined;

export function imageModule(): Promise<ImageModule> {
  return (loaded ??= import(IMAGE_MODULE) as Promise<ImageModule>);
}

export async function decodeImageBytes(input: Uint8Array | string, options: Record<string, unknown> = {}): Promise<DecodedImage> {
  const r = await (await imageModule()).decodeImage(input, options);
  return { payload: r.payload, ...(r.format !== undefined ? { format: r.format } : {}), ...(r.width !== undefined ? { width: r.width } : {}), ...(r.height !== undefined ? { height: r.height } : {}) };
}

export async function renderPng(payload: string, options: RenderOptions = {}): Promise<Uint8Array> {
  return await (await imageModule()).toPng(payload, options);
}

export async function renderSvg(payload: string, options: RenderOptions = {}): Promise<string> {
  return await (await imageModule()).toSvg(payload, options);
}

export async function renderTerminal(payload: string): Promise<string> {
  return await (await imageModule()).toTerminal(payload);
}
