/**
 * `convertWithFallback`: local first, BAYAR GG only when the local path cannot help.
 *
 * A payload is always converted locally: if it is broken (bad CRC, bad structure) or the amount is
 * invalid, the server would only repeat the failure, so the error is thrown as is. An image is read
 * locally first, with the image module loaded lazily (it brings jimp): importing 'qris-codec/remote'
 * and converting a payload never loads it. Only when the image itself cannot be read here does the
 * image go to the server, and the server's answer is checked offline like every remote answer.
 */
import { amountFormatOf, formatAmount } from '../qris/amount.js';
import { checkToDynamicOptions, toDynamic, type ToDynamicOptions } from '../qris/convert.js';
import { QrisError, isQrisError, type QrisErrorCode } from '../errors.js';
// Types only: erased at build time, so the image module is never loaded by this import.
import type { DecodeImageOptions, ImageInput } from '../image/index.js';
import type { BayarClient, Verification } from './client.js';
import { abortedError } from './retry.js';
import { checkExpect, type ExpectedMerchant } from './verify.js';

/** An image as `decodeImage` takes it: bytes, base64, a data URL or an http(s) URL. */
export type FallbackImage = ImageInput;

/** A decoder with the shape of `decodeImage` from 'qris-codec/image'. */
export type ImageDecoder = (input: ImageInput, options?: DecodeImageOptions) => Promise<{ readonly payload: string }>;

export interface FallbackOptions extends ToDynamicOptions {
  /** A client from `createBayarClient`. Without one, the conversion is purely local. */
  readonly client?: BayarClient | undefined;
  /** Cancels the remote call (and everything before it). */
  readonly signal?: AbortSignal | undefined;
  /** Options passed to `decodeImage` (e.g. `maxBytes`, `engine`). */
  readonly imageOptions?: DecodeImageOptions | undefined;
  /**
   * Your own decoder instead of 'qris-codec/image' (e.g. a zxing-wasm one in a browser). It must throw
   * `QrisError`s with the image codes for the fallback to tell what the server could overcome.
   * @default decodeImage from 'qris-codec/image', loaded on first use
   */
  readonly decodeImage?: ImageDecoder | undefined;
  /**
   * Merchant facts a remote answer must show: 59, 51/02, the PAN(s) every account carries (51/01
   * included), 64's alternate name and city, the 80-99 templates. When the server read an image
   * there is no original to compare with, so these are the only merchant checks possible, and a
   * 64 name or city or a 65-99 template they do not vouch for is refused; a mismatch is an
   * `untrusted` RemoteError.
   */
  readonly expect?: ExpectedMerchant | undefined;
}

export interface FallbackResult {
  /** The dynamic payload. */
  readonly payload: string;
  /** `local`: converted here; `remote`: the image was read by BAYAR GG (answer checked offline). */
  readonly source: 'local' | 'remote';
  /**
   * `exact`: converted here from a known original. `structure-only`: only the server could read the
   * image; its merchant fields are its word, checked only against `expect`.
   */
  readonly verified: Verification;
  /** The static payload given or read from the image (local only). */
  readonly original?: string;
  /** Why the local path could not help (remote only). */
  readonly localError?: Error;
  /** Requests made to the server (remote only). */
  readonly attempts?: number;
}

/**
 * Local failures the server could overcome. All are about *reading the image*; anything about the
 * code itself (CRC, structure, amount, options, already dynamic) would come back the same.
 * - IMAGE_NO_QR: the server's detector may find a code ours missed (small code in a noisy photo).
 * - IMAGE_UNSUPPORTED_FORMAT: a format we cannot decode here (HEIC, or any image in a runtime where
 *   the decoder does not load) may be one the server reads.
 * - IMAGE_CORRUPT: our decoders report valid-but-exotic files (CMYK or arithmetic-coded JPEG, odd
 *   PNG chunks) as corrupt; a truly damaged file costs one rejected request.
 * - FETCH_FAILED: the server fetches the URL from its own network (no CORS, other egress rules).
 * Not IMAGE_TOO_LARGE (a limit the caller set: uploading it would defeat it) nor IMAGE_NOT_EMVCO
 * (a QR code was read and it is not a payment code: the server would read the same).
 */
// IMAGE_ENGINE_MISSING: a core-only install (no image libraries) can still have the server read an image.
export const REMOTE_CAN_HELP: ReadonlySet<QrisErrorCode> = new Set<QrisErrorCode>([
  'IMAGE_NO_QR',
  'IMAGE_UNSUPPORTED_FORMAT',
  'IMAGE_CORRUPT',
  'IMAGE_ENGINE_MISSING',
  'FETCH_FAILED',
  // A URL the caller did not let this library fetch (imageOptions.allowUrl) goes to the server as image_url.
  'IMAGE_URL_NOT_ALLOWED',
]);

/** Payloads start with "000201"; base64 of any image format never starts with "00". */
function isImageInput(input: unknown): boolean {
  if (typeof input !== 'string') return input instanceof Uint8Array || input instanceof ArrayBuffer || (typeof URL !== 'undefined' && input instanceof URL);
  const s = input.trim();
  if (s.startsWith('data:') || /^https?:\/\//i.test(s)) return true;
  if (s.startsWith('00')) return false;
  // Long base64 is an image; anything else goes the payload way, where parse explains what is wrong.
  return s.length >= 64 && /^[A-Za-z0-9+/=_\-\s]+$/.test(s);
}

async function loadDecoder(): Promise<ImageDecoder> {
  try {
    const mod = await import('../image/index.js');
    return mod.decodeImage;
  } catch (cause) {
    throw new QrisError('IMAGE_UNSUPPORTED_FORMAT', 'The image decoder (qris-codec/image) could not be loaded in this runtime.', { cause });
  }
}

/**
 * Converts a static QRIS, given as a payload or an image, to a dynamic one for `amount`: locally,
 * or, when the image cannot be read here and a `client` is given, through BAYAR GG.
 */
export async function convertWithFallback(input: string | FallbackImage, options: FallbackOptions): Promise<FallbackResult> {
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'convertWithFallback() needs an options object with an amount.');
  const { client, signal, imageOptions, decodeImage, expect: expectOption, ...dynamic } = options;
  const expect = checkExpect(expectOption);

  if (!isImageInput(input)) {
    if (typeof input !== 'string') throw new QrisError('NOT_A_STRING', 'Expected a payload string or an image (bytes, base64, data URL or URL).');
    return { payload: toDynamic(input, dynamic), source: 'local', verified: 'exact', original: input.trim() };
  }

  // Bad options fail here, before an image is decoded or uploaded.
  const nominal = formatAmount(dynamic.amount, amountFormatOf(dynamic));
  checkToDynamicOptions(dynamic);

  let decoded: string;
  try {
    const decode = decodeImage ?? (await loadDecoder());
    decoded = (await decode(input, imageOptions)).payload;
  } catch (e) {
    if (client === undefined || !isQrisError(e) || !REMOTE_CAN_HELP.has(e.code)) throw e;
    if (signal?.aborted) throw abortedError(signal);
    const request =
      typeof input === 'string' && /^https?:\/\//i.test(input.trim())
        ? { imageUrl: input.trim(), nominal }
        : input instanceof URL
          ? { imageUrl: input.href, nominal }
          : { image: input as string | Uint8Array | ArrayBuffer, nominal };
    const remote = await client.convert({ ...request, ...(signal === undefined ? {} : { signal }), ...(expect === undefined ? {} : { expect }) });
    // The server's answer is verified (CRC, 01, amount); rewriting it with the caller's options
    // gives the same amount format, fee and Additional Data as the local path would have.
    const payload = toDynamic(remote.payload, { ...dynamic, replaceAmount: true });
    return { payload, source: 'remote', verified: remote.verified, localError: e, attempts: remote.attempts };
  }
  return { payload: toDynamic(decoded, dynamic), source: 'local', verified: 'exact', original: decoded };
}
