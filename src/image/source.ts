/**
 * What the detection strategy reads: an image as gray views on demand. Its own file so the
 * strategy (shared by the Node and the browser entry) never loads the Node pixel decoders.
 */
import type { Gray } from './gray.js';

export interface PixelSource<Name extends string = string> {
  /** What produced the pixels (reported in `DecodedImage.engine`). */
  readonly name: Name;
  /** Upright size of the image. */
  readonly width: number;
  readonly height: number;
  /** The image with its longer side at most `maxSide` (never upscaled). */
  view(maxSide: number): Promise<Gray>;
}

/** The first view the strategy asks for. */
export const FAST_SIDE = 1000;
