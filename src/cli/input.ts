/**
 * Resolves a command's `<input>` argument: a payload typed on the command line, a file holding one,
 * an image file, or `-` for standard input (text or image bytes). Images are decoded with the
 * image module, loaded only when an image actually shows up.
 */
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isQrisError, QrisError } from '../errors.js';
import { sniff } from '../image/sniff.js';
import { UsageError } from './args.js';
import { decodeImageBytes } from './render.js';

export { decodeImageBytes } from './render.js';

export type ResolvedInput =
  | { readonly kind: 'payload'; readonly payload: string; readonly source: string }
  | { readonly kind: 'image'; readonly bytes: Uint8Array; readonly source: string };

/** Largest input file read (images from phones are a few MB). */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.webp', '.bmp'];
const TEXT_EXTENSIONS = ['.txt', '.qris', '.emv'];

/** True when the bytes start with a PNG, JPEG, GIF, WebP or BMP signature (a truncated header still counts: the decoder then says why). */
export function looksLikeImage(b: Uint8Array): boolean {
  try {
    sniff(b);
    return true;
  } catch (e) {
    return !(isQrisError(e) && e.code === 'IMAGE_UNSUPPORTED_FORMAT');
  }
}

export async function readStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > MAX_INPUT_BYTES) throw new QrisError('IMAGE_TOO_LARGE', `Standard input is larger than ${MAX_INPUT_BYTES} bytes.`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function fromBytes(bytes: Buffer, source: string): ResolvedInput {
  if (looksLikeImage(bytes)) return { kind: 'image', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), source };
  // Keep leading characters as they are so error offsets match the text; drop the final newline.
  return { kind: 'payload', payload: bytes.toString('utf8').trimEnd(), source };
}

export function hasExtension(arg: string, list: readonly string[]): boolean {
  const lower = arg.toLowerCase();
  return list.some((ext) => lower.endsWith(ext));
}

/**
 * Classifies `arg`. An existing file wins; an argument that looks like a path (a slash or a known
 * extension) but names no file is an error; anything else is a payload for the parser to judge.
 */
export async function resolveInput(arg: string, command: string, stdin?: NodeJS.ReadableStream): Promise<ResolvedInput> {
  if (arg === '-') return fromBytes(await readStdin(stdin), 'stdin');
  if (arg === '') throw new UsageError('The input is empty.', command);
  let isFile = false;
  try {
    const st = await stat(arg);
    if (st.isDirectory()) throw new UsageError(`${arg} is a directory, not a payload or a file.`, command);
    isFile = st.isFile();
    if (!isFile) throw new NotARegularFileError(arg, fileKind(st));
    if (isFile && st.size > MAX_INPUT_BYTES) throw new QrisError('IMAGE_TOO_LARGE', `${arg} is larger than ${MAX_INPUT_BYTES} bytes.`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof QrisError || e instanceof NotARegularFileError) throw e;
    // ENOENT, ENAMETOOLONG (a long payload): not a file.
  }
  if (isFile) return fromBytes(await readFile(arg), arg);
  if (arg.includes('/') || arg.includes('\\') || hasExtension(arg, IMAGE_EXTENSIONS) || hasExtension(arg, TEXT_EXTENSIONS)) {
    throw new InputNotFoundError(arg);
  }
  return { kind: 'payload', payload: arg, source: 'argument' };
}

/** The input names a file that does not exist (invalid input: exit code 1). */
export class InputNotFoundError extends Error {
  override readonly name = 'InputNotFoundError';
  readonly code = 'INPUT_NOT_FOUND';
  constructor(
    readonly path: string,
    what?: string,
  ) {
    super(what === undefined ? `No such file: ${path} (and it is not a QRIS payload either).` : `No such ${what}: ${path}`);
  }
}

/**
 * The input exists but is a FIFO, a device or a socket: it is read only through stdin (`-`), where
 * its size is capped as it streams (invalid input: exit code 1).
 */
export class NotARegularFileError extends Error {
  override readonly name = 'NotARegularFileError';
  readonly code = 'NOT_A_REGULAR_FILE';
  constructor(
    readonly path: string,
    kind: string,
  ) {
    super(`${path} is not a regular file (it is ${kind}). To read from it, use - and redirect: qris <command> - < ${path}`);
  }
}

/** What kind of non-regular file a stat describes, for messages. */
export function fileKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO or pipe';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'of an unknown kind';
}

/** The payload an input holds, decoding an image when needed. */
export async function payloadFromInput(input: ResolvedInput): Promise<string> {
  return input.kind === 'payload' ? input.payload : (await decodeImageBytes(input.bytes)).payload;
}
