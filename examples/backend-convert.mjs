// @ts-check
/**
 * A Node backend that turns the merchant's printed (static) QRIS into a dynamic one for each order:
 * the customer scans a code that already holds the amount and the invoice number.
 *
 *   node examples/backend-convert.mjs 25000 INV-001
 *
 * The static code comes from STATIC_QRIS (the text of the merchant's sticker), or, in this
 * repository, from the demo fixture.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { info, isQrisError, toDynamic } from 'qris-codec';

const STATIC_QRIS = process.env['STATIC_QRIS'] ?? readFileSync(new URL('../fixtures/demo/static-qris.txt', import.meta.url), 'utf8').trim();

/**
 * The code to show for one order.
 * @param {number | string} amount whole rupiah, e.g. 25000 (not "25.000": the dot is a decimal point)
 * @param {string} invoice printed in the payer's app as the bill number (62/01)
 */
export function checkout(amount, invoice) {
  const qris = toDynamic(STATIC_QRIS, { amount, billNumber: invoice });
  const meta = info(qris);
  return { qris, merchant: meta.merchantName, amount: meta.amount?.text, invoice };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [amount = '25000', invoice = 'INV-001'] = process.argv.slice(2);
  try {
    console.log(JSON.stringify(checkout(amount, invoice), null, 2));
  } catch (e) {
    // Bad input is a QrisError with a stable code and a sentence meant for people.
    if (!isQrisError(e)) throw e;
    console.error(`${e.code}: ${e.message}`);
    process.exitCode = 1;
  }
}
