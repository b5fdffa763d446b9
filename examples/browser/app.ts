/**
 * A browser page for a shop: pick the photo of the QRIS sticker (or paste its text), type the
 * amount, and the page shows the dynamic code to scan. Everything runs in the browser; nothing is
 * sent anywhere. Bundle it with any bundler (the `browser` condition picks the browser build of
 * qris-codec/image), e.g.:
 *
 *   npx esbuild examples/browser/app.ts --bundle --format=esm --outfile=examples/browser/app.js
 *
 * then open index.html from a local server (npx serve examples/browser).
 */
import { info, isQrisError, toDynamic } from 'qris-codec';
import { decodeImage, toDataUrl } from 'qris-codec/image';

export interface Payment {
  /** The dynamic payload, to show as a QR code. */
  readonly qris: string;
  /** A PNG data URL of it, for an <img>. */
  readonly image: string;
  readonly merchant: string;
  /** What the payer sees, e.g. "Rp 25.000". */
  readonly amount: string;
}

/** The code for one payment, from the sticker's photo or its text. */
export async function paymentFor(source: Blob | string, amount: string): Promise<Payment> {
  const payload = typeof source === 'string' ? source.trim() : (await decodeImage(source)).payload;
  const qris = toDynamic(payload, { amount });
  const meta = info(qris);
  return {
    qris,
    image: toDataUrl(qris, { size: 320 }),
    merchant: meta.merchantName ?? '',
    amount: `Rp ${new Intl.NumberFormat('id-ID').format(meta.amount?.value ?? 0)}`,
  };
}

/** The element with this id, of this type (a missing or wrong element is a bug of the page). */
function byId<T extends HTMLElement>(id: string, type: abstract new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`#${id} is missing from the page`);
  return el;
}

async function show(): Promise<void> {
  const file = byId('sticker', HTMLInputElement).files?.[0]; // `files` is null on some inputs
  const text = byId('payload', HTMLTextAreaElement).value;
  const amount = byId('amount', HTMLInputElement).value.trim();
  const img = byId('code', HTMLImageElement);
  const caption = byId('caption', HTMLParagraphElement);
  img.hidden = true;
  try {
    const pay = await paymentFor(file ?? text, amount);
    img.src = pay.image;
    img.alt = `QRIS ${pay.merchant} ${pay.amount}`;
    img.hidden = false;
    caption.textContent = `${pay.merchant}: ${pay.amount}`;
  } catch (e) {
    // A QrisError's message is meant for people (e.g. "The amount "50.000" has a '.' that is read as a decimal point, ...").
    caption.textContent = isQrisError(e) ? e.message : 'Something went wrong; please try again.';
    if (!isQrisError(e)) console.error(e);
  }
}

const form = document.getElementById('pay');
if (form instanceof HTMLFormElement) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void show();
  });
}
