/**
 * How a payment, a time and an export read to a person, in the page's language: the words the QR
 * screen, the slip, the list and the CSV share, so they can never say a total differently. Pure:
 * everything comes in as arguments (the payment read from its own payload, the language).
 */
import type { CsvWords } from './csv.js';
import { t, type Lang } from './i18n.js';
import { feeSen, senText, type Fee } from './money.js';
import type { Payment } from './payment.js';
import { formatRupiah } from './rupiah.js';

/** A fee for people: "Rp 1.000", "2,5%" (en "2.5%"), or the payer's tip. */
export function feeText(lang: Lang, fee: Fee): string {
  if (fee.kind === 'prompt') return t(lang, 'tipByPayer');
  return fee.kind === 'fixed' ? formatRupiah(fee.value) : `${lang === 'id' ? fee.value.replace('.', ',') : fee.value}%`;
}

/** The fee of a payment with, for a percentage, what it comes to: "2,5% (Rp 375)". */
export function feeLine(lang: Lang, p: Payment): string {
  if (!p.fee) return '';
  const sen = feeSen(p.amount, p.fee);
  if (p.fee.kind === 'percent' && sen !== null) return `${feeText(lang, p.fee)} (${formatRupiah(senText(sen))})`;
  return feeText(lang, p.fee);
}

/** What the payer pays: "Rp 16.000", or "Rp 15.000 + tip" when they type the tip. */
export function totalText(lang: Lang, p: Payment): string {
  return p.total !== null ? formatRupiah(p.total) : `${formatRupiah(p.amount)} ${t(lang, 'plusTip')}`;
}

/** "Harga Rp 15.000 + biaya Rp 1.000", or '' without a fee. */
export function breakdownText(lang: Lang, p: Payment): string {
  return p.fee ? `${t(lang, 'amountPart')} ${formatRupiah(p.amount)} + ${t(lang, 'fee').toLowerCase()} ${feeLine(lang, p)}` : '';
}

const locale = (lang: Lang): string => (lang === 'id' ? 'id-ID' : 'en-GB');

/** Local time of day: "10.15" (id) / "10:15" (en). */
export function timeText(lang: Lang, iso: string): string {
  return new Date(iso).toLocaleTimeString(locale(lang), { hour: '2-digit', minute: '2-digit' });
}

/** Local date: "02/12/2026". */
export function dateText(lang: Lang, iso: string): string {
  return new Date(iso).toLocaleDateString(locale(lang), { day: '2-digit', month: '2-digit', year: 'numeric' });
}

export function dateTimeText(lang: Lang, iso: string): string {
  return `${dateText(lang, iso)} ${timeText(lang, iso)}`;
}

/** The CSV's header and status words. */
export function csvWords(lang: Lang): CsvWords {
  return {
    header:
      lang === 'id'
        ? ['tanggal', 'jam', 'status', 'jumlah', 'biaya', 'total_dibayar', 'no_tagihan', 'toko', 'nmid', 'rekening', 'kode_qris']
        : ['date', 'time', 'status', 'amount', 'fee', 'total_paid', 'bill_number', 'merchant', 'nmid', 'account', 'qris_code'],
    status: { pending: t(lang, 'pending'), paid: t(lang, 'paid'), cancelled: t(lang, 'cancelled') },
    tip: t(lang, 'tipByPayer'),
  };
}

/** The export's file name: "qris-penjualan-2026-12-02.csv", or a range "…-2026-12-01_2026-12-02.csv". */
export function csvName(lang: Lang, from: string, to: string): string {
  return `qris-${lang === 'id' ? 'penjualan' : 'sales'}-${from === to ? from : `${from}_${to}`}.csv`;
}
