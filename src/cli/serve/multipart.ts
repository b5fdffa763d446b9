/**
 * A small multipart/form-data parser over a fully read body (the body limit bounds it). Finds each
 * boundary with `Buffer.indexOf`, so it runs in linear time; file contents are views into the body.
 */
import { HttpError } from './http-error.js';

export interface UploadedFile {
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
}

export interface Multipart {
  readonly fields: Record<string, string>;
  readonly files: Map<string, UploadedFile>;
}

const MAX_PARTS = 32;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function bad(message: string): HttpError {
  return new HttpError(400, 'INVALID_MULTIPART', message);
}

/** The boundary parameter of a multipart Content-Type, unquoted. */
export function boundaryOf(contentType: string): string {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  if (!b || b.length > 70) throw bad('The multipart Content-Type has no valid boundary.');
  return b;
}

export function parseMultipart(body: Buffer, contentType: string): Multipart {
  const delim = Buffer.from('--' + boundaryOf(contentType));
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedFile>();
  let pos = body.indexOf(delim);
  if (pos < 0) throw bad('The multipart body holds no part.');
  for (let parts = 0; ; parts++) {
    pos += delim.length;
    // "--" after a delimiter closes the body.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw bad('A multipart delimiter is not followed by a line break.');
    if (parts === MAX_PARTS) throw bad(`More than ${MAX_PARTS} multipart parts.`);
    const headStart = pos + 2;
    const headEnd = body.indexOf(HEADER_END, headStart);
    if (headEnd < 0) throw bad('A multipart part has no end of headers.');
    const next = body.indexOf(Buffer.concat([CRLF, delim]), headEnd + 4);
    if (next < 0) throw bad('The multipart body ends inside a part (no closing boundary).');
    const headers = parseHeaders(body.toString('utf8', headStart, headEnd));
    const disposition = headers.get('content-disposition') ?? '';
    const name = param(disposition, 'name');
    if (name === undefined) throw bad('A multipart part has no name.');
    const filename = param(disposition, 'filename');
    const data = body.subarray(headEnd + 4, next);
    if (filename !== undefined) files.set(name, { filename, contentType: headers.get('content-type') ?? 'application/octet-stream', data });
    else fields[name] = data.toString('utf8');
    pos = next + 2;
  }
  return { fields, files };
}

function parseHeaders(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) out.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return out;
}

/** A parameter of a header value: `name="image"` -> `image`. */
function param(header: string, key: string): string | undefined {
  const re = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i');
  const m = re.exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}
