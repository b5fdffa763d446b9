// @ts-check
/**
 * A server that checks the QRIS sticker a merchant uploads when signing up: no framework, only
 * `node:http`. The picture is read (decodeImage), the code checked (validate, and it must be the
 * static code printed for the shop), and every failure answered with an HTTP status and the
 * library's stable code, so the sign-up form can tell the merchant what to do.
 *
 *   node examples/upload-server.mjs          # listens on http://127.0.0.1:3000
 *   curl -F image=@sticker.jpg http://127.0.0.1:3000/merchant/qris
 *   curl --data-binary @sticker.png -H 'content-type: image/png' http://127.0.0.1:3000/merchant/qris
 *
 * Needs the image decoders: npm i qris-codec jimp jsqr (sharp or zxing-wasm make it faster).
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { info, isQrisError, validate } from 'qris-codec';
import { decodeImage } from 'qris-codec/image';

/** Limits: a phone photo is 2-6 MB; anything much larger is refused before it is read. */
export const LIMITS = {
  /** Largest request body, in bytes (413 above it, without reading the rest). */
  maxBodyBytes: 8 * 1024 * 1024,
  /** Largest picture, in pixels: 24 MP covers any phone; a decompression bomb is refused from its header. */
  maxPixels: 24_000_000,
  /** Time to look for the code once the pixels are decoded. */
  timeBudgetMs: 4000,
};

/**
 * The HTTP status for each error code the upload can meet. Anything else from the library is a
 * 400 (bad input); anything that is not a QrisError is a bug: 500, with a generic message.
 * @type {Readonly<Record<string, number>>}
 */
export const STATUS_BY_CODE = {
  IMAGE_TOO_LARGE: 413, // over maxBytes / maxPixels
  IMAGE_UNSUPPORTED_FORMAT: 415, // not PNG, JPEG, GIF, WebP or BMP
  IMAGE_CORRUPT: 422,
  IMAGE_NO_QR: 422, // blurry, cut off, too small: ask for a new photo
  IMAGE_NOT_EMVCO: 422, // a QR code, but not a payment code (a URL, a Wi-Fi code...)
  IMAGE_MULTIPLE_CODES: 422, // two different payment codes: a second sticker over the merchant's?
  IMAGE_TIME_BUDGET: 422,
  INVALID_QRIS: 422, // read, but validate() found errors (this server's own code)
  NOT_STATIC: 422, // a dynamic code (printed on a receipt), not the shop's sticker (this server's own code)
  NO_PICTURE: 400, // an empty body, or a form without "image" (this server's own code)
  IMAGE_ENGINE_MISSING: 500, // the server lacks an image library: a deployment problem
};

/**
 * Reads the payment code in a picture.
 *
 * In Node, decodeImage decodes in the package's worker pool (thread: 'worker', the default), so a
 * slow photo does not stall the other requests; the bytes are read and their header checked here
 * first. This is the one place to change to use a pool of your own.
 * @param {Uint8Array} bytes
 */
async function readQris(bytes) {
  const { payload } = await decodeImage(bytes, { maxBytes: LIMITS.maxBodyBytes, maxPixels: LIMITS.maxPixels, timeBudgetMs: LIMITS.timeBudgetMs });
  return payload;
}

/**
 * The merchant's code, checked; or an error with a code from STATUS_BY_CODE.
 * @param {Uint8Array} bytes
 */
export async function checkSticker(bytes) {
  const payload = await readQris(bytes);
  const result = validate(payload);
  if (!result.valid) {
    const errors = result.issues.filter((i) => i.severity === 'error');
    return { ok: false, status: 422, code: 'INVALID_QRIS', message: errors[0]?.message ?? 'The code is not valid.', issues: errors };
  }
  const meta = info(payload);
  if (meta.isDynamic)
    return { ok: false, status: 422, code: 'NOT_STATIC', message: 'This is a code for one payment; upload the sticker printed for the shop.' };
  return { ok: true, status: 200, payload, merchant: meta.merchantName, city: meta.merchantCity, nmid: meta.nmid };
}

class BodyTooLarge extends Error {}
class NoPicture extends Error {}

/**
 * The uploaded picture: the raw body (Content-Type image/...) or the `image` field of a multipart form.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Uint8Array>}
 */
async function uploadedBytes(req) {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > LIMITS.maxBodyBytes) throw new BodyTooLarge();
  /** @type {Buffer[]} */
  const chunks = [];
  await new Promise((resolve, reject) => {
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      if (size > LIMITS.maxBodyBytes) return; // already refused: the rest passes through unkept
      size += chunk.length;
      if (size <= LIMITS.maxBodyBytes) return void chunks.push(chunk);
      chunks.length = 0;
      reject(new BodyTooLarge());
    });
    req.on('end', resolve);
    req.on('error', reject);
  });
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (body.length === 0) throw new NoPicture();
  if (!type.startsWith('multipart/form-data')) return new Uint8Array(body);
  // Node's own multipart parser (the one behind fetch's Response#formData).
  const form = await new Response(body, { headers: { 'content-type': type } }).formData();
  const file = form.get('image');
  if (file === null || typeof file === 'string') throw new NoPicture();
  return new Uint8Array(await file.arrayBuffer());
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The request handler: POST /merchant/qris. */
export function createUploadServer() {
  return createServer((req, res) => {
    if (req.url !== '/merchant/qris' || req.method !== 'POST')
      return send(res, 404, { ok: false, code: 'NOT_FOUND', message: 'POST a picture to /merchant/qris.' });
    uploadedBytes(req)
      .then((bytes) => checkSticker(bytes))
      .then((r) => send(res, r.status, r))
      .catch((/** @type {unknown} */ e) => {
        if (e instanceof BodyTooLarge) {
          res.setHeader('connection', 'close');
          return send(res, 413, { ok: false, code: 'BODY_TOO_LARGE', message: `Send a picture of at most ${LIMITS.maxBodyBytes / 1024 / 1024} MB.` });
        }
        if (e instanceof NoPicture)
          return send(res, 400, { ok: false, code: 'NO_PICTURE', message: 'Send the picture as the form field "image" or as the body.' });
        if (isQrisError(e)) return send(res, STATUS_BY_CODE[e.code] ?? 400, { ok: false, code: e.code, message: e.message });
        console.error(e); // a bug: the details stay in the log
        return send(res, 500, { ok: false, code: 'INTERNAL_ERROR', message: 'The picture could not be checked.' });
      });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = createUploadServer();
  server.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1', () => {
    const address = server.address();
    console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : '?'}/merchant/qris`);
  });
}
