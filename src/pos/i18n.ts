/**
 * The page's words in Indonesian (the default) and English, and a plain sentence for every refusal
 * a cashier can meet (the page's own codes and the library's). No library message in English is
 * shown to a person: the code stays in the page only as a data attribute, for support.
 */
import type { CodeCard } from './merchant.js';

export type Lang = 'id' | 'en';

const STRINGS = {
  title: { id: 'Kasir QRIS', en: 'QRIS cashier' },
  skip: { id: 'Langsung ke isi', en: 'Skip to content' },
  language: { id: 'Bahasa', en: 'Language' },
  setupHeading: { id: 'Pasang QRIS toko', en: 'Set up the shop QRIS' },
  setupIntro: {
    id: 'Sekali saja: berikan QRIS statis yang tercetak di toko. Disimpan hanya di perangkat ini.',
    en: 'Once only: give the printed static QRIS of the shop. It is kept on this device only.',
  },
  photoLabel: { id: 'Foto atau tangkapan layar QRIS', en: 'Photo or screenshot of the QRIS' },
  cameraButton: { id: 'Pindai dengan kamera', en: 'Scan with the camera' },
  cameraStop: { id: 'Tutup kamera', en: 'Close the camera' },
  cameraHint: { id: 'Arahkan kamera ke QRIS.', en: 'Point the camera at the QRIS.' },
  pasteLabel: { id: 'Atau tempel isi QRIS (teks yang diawali 000201)', en: 'Or paste the QRIS payload (the text starting 000201)' },
  useCode: { id: 'Periksa kode ini', en: 'Check this code' },
  cancel: { id: 'Batal', en: 'Cancel' },
  reading: { id: 'Membaca gambar…', en: 'Reading the image…' },
  confirmHeading: { id: 'Apakah ini QRIS toko Anda?', en: 'Is this your shop QRIS?' },
  confirmIntro: {
    id: 'Cocokkan nama, NMID dan nomor rekening dengan aplikasi dompet atau bank toko. Uang pembeli masuk ke rekening ini.',
    en: "Compare the name, NMID and account number with the shop's wallet or bank app. Payers' money goes to this account.",
  },
  confirmReplacing: {
    id: 'Ini akan menggantikan QRIS {old}. Penjualan lama tetap tercatat atas nama QRIS lama.',
    en: 'This replaces the QRIS of {old}. Earlier sales stay recorded under the old QRIS.',
  },
  confirmYes: { id: 'Ya, ini QRIS toko saya', en: 'Yes, this is my shop QRIS' },
  confirmNo: { id: 'Bukan', en: 'No' },
  merchant: { id: 'Toko', en: 'Shop' },
  city: { id: 'Kota', en: 'City' },
  nmid: { id: 'NMID', en: 'NMID' },
  acquirer: { id: 'Penerbit', en: 'Acquirer' },
  account: { id: 'Rekening', en: 'Account' },
  accountShort: { id: 'Rek.', en: 'Acct' },
  replace: { id: 'Ganti QRIS', en: 'Replace QRIS' },
  forget: { id: 'Hapus QRIS', en: 'Forget QRIS' },
  forgetConfirm: { id: 'Hapus QRIS toko dari perangkat ini?', en: 'Remove the shop QRIS from this device?' },
  saleHeading: { id: 'Penjualan baru', en: 'New sale' },
  amountLabel: { id: 'Jumlah (Rp)', en: 'Amount (Rp)' },
  keypad: { id: 'Papan angka', en: 'Keypad' },
  backspace: { id: 'Hapus satu angka', en: 'Delete one digit' },
  more: { id: 'Nomor tagihan dan biaya', en: 'Bill number and fee' },
  billLabel: { id: 'Nomor tagihan (opsional)', en: 'Bill number (optional)' },
  feeLabel: { id: 'Tip / biaya layanan', en: 'Tip / fee' },
  feeNone: { id: 'Tidak ada', en: 'None' },
  feeFixed: { id: 'Biaya tetap (Rp)', en: 'Fixed fee (Rp)' },
  feePercent: { id: 'Biaya persen (%)', en: 'Percentage fee (%)' },
  feePrompt: { id: 'Pembeli mengisi tip', en: 'Payer enters a tip' },
  feeValueLabel: { id: 'Nilai biaya', en: 'Fee value' },
  feeOn: { id: 'Biaya aktif: {fee} untuk setiap penjualan', en: 'Fee on: {fee} on every sale' },
  feeOff: { id: 'Matikan biaya', en: 'Turn the fee off' },
  payerPays: { id: 'Pembeli membayar {total}', en: 'The payer pays {total}' },
  makeQr: { id: 'Buat QR', en: 'Make QR' },
  qrHeading: { id: 'Silakan pindai untuk membayar', en: 'Scan to pay' },
  checkWallet: {
    id: 'Sebelum menyerahkan barang: buka aplikasi dompet atau bank toko dan pastikan uang {total} sudah masuk. Jangan percaya layar "Berhasil" di HP pembeli.',
    en: 'Before handing over the goods: open the shop\'s wallet or bank app and make sure {total} has arrived. Do not trust a "Success" screen on the payer\'s phone.',
  },
  checkWalletTip: {
    id: 'Sebelum menyerahkan barang: buka aplikasi dompet atau bank toko dan pastikan uangnya sudah masuk. Jangan percaya layar "Berhasil" di HP pembeli.',
    en: 'Before handing over the goods: open the shop\'s wallet or bank app and make sure the money has arrived. Do not trust a "Success" screen on the payer\'s phone.',
  },
  paid: { id: 'Lunas', en: 'Paid' },
  cancelSale: { id: 'Batal', en: 'Cancel' },
  pending: { id: 'Menunggu', en: 'Waiting' },
  cancelled: { id: 'Batal', en: 'Cancelled' },
  markPaid: { id: 'Lunas', en: 'Paid' },
  markCancelled: { id: 'Batal', en: 'Cancel' },
  amountPart: { id: 'Harga', en: 'Price' },
  bill: { id: 'Tagihan', en: 'Bill' },
  fee: { id: 'Biaya', en: 'Fee' },
  tipByPayer: { id: 'tip diisi pembeli', en: 'tip entered by the payer' },
  plusTip: { id: '+ tip', en: '+ tip' },
  when: { id: 'Waktu', en: 'Time' },
  downloadPng: { id: 'Unduh PNG', en: 'Download PNG' },
  print: { id: 'Cetak', en: 'Print' },
  paperLabel: { id: 'Kertas struk', en: 'Receipt paper' },
  newSale: { id: 'Penjualan baru (biarkan menunggu)', en: 'New sale (leave it waiting)' },
  daysHeading: { id: 'Penjualan', en: 'Sales' },
  from: { id: 'Dari', en: 'From' },
  to: { id: 'Sampai', en: 'To' },
  todayButton: { id: 'Hari ini', en: 'Today' },
  colTime: { id: 'Waktu', en: 'Time' },
  colAmount: { id: 'Dibayar', en: 'Paid by payer' },
  colStatus: { id: 'Status', en: 'Status' },
  colBill: { id: 'Tagihan', en: 'Bill' },
  colActions: { id: 'Aksi', en: 'Actions' },
  copy: { id: 'Salin', en: 'Copy' },
  copied: { id: 'Disalin', en: 'Copied' },
  show: { id: 'Tampilkan', en: 'Show' },
  exportCsv: { id: 'Ekspor CSV', en: 'Export CSV' },
  clearList: { id: 'Hapus semua penjualan', en: 'Delete all sales' },
  clearConfirm: { id: 'Hapus semua penjualan yang tersimpan, semua hari?', en: 'Delete every stored sale, of every day?' },
  noSales: { id: 'Tidak ada penjualan pada tanggal ini.', en: 'No sales on these dates.' },
  totalPaid: { id: 'Uang diterima (lunas): {sum} dari {n} penjualan', en: 'Money received: {sum} ({n} paid)' },
  totalFees: { id: 'termasuk biaya {fee}', en: 'fees included: {fee}' },
  totalOpen: { id: 'Menunggu: {p} · Batal: {c}', en: 'Waiting: {p} · Cancelled: {c}' },
  totalTips: { id: '{n} dengan tip pembeli (tip tidak dihitung)', en: '{n} with a payer tip (tip not counted)' },
  pendingElsewhere: { id: 'Masih menunggu dari hari lain: {n} penjualan.', en: 'Still waiting from other days: {n} sales.' },
  showThem: { id: 'Lihat', en: 'Show them' },
  oldMerchant: { id: 'QRIS lain: {name} · {account}', en: 'Other QRIS: {name} · {account}' },
  unreadable: { id: 'Kode rusak', en: 'Broken code' },
  settings: { id: 'Pengaturan', en: 'Settings' },
  maxLabel: { id: 'Batas per pembayaran (Rp)', en: 'Limit per payment (Rp)' },
  maxHint: {
    id: 'Bank Indonesia membatasi satu pembayaran QRIS Rp 10.000.000 (sejak 1 Maret 2022). Turunkan bila perlu.',
    en: 'Bank Indonesia limits one QRIS payment to Rp 10.000.000 (since 1 March 2022). Lower it if you wish.',
  },
  save: { id: 'Simpan', en: 'Save' },
  maxSaved: { id: 'Batas per pembayaran: {max}.', en: 'Limit per payment: {max}.' },
  sepLabel: { id: 'Pemisah kolom CSV', en: 'CSV column separator' },
  sepSemicolon: { id: 'Titik koma ; (Excel bahasa Indonesia)', en: 'Semicolon ; (Excel in Indonesian)' },
  sepComma: { id: 'Koma , (Excel bahasa Inggris)', en: 'Comma , (Excel in English)' },
  saved: { id: 'QRIS toko tersimpan: {name} · {account}.', en: 'Shop QRIS saved: {name} · {account}.' },
  warnings: {
    id: 'Kode ini punya {n} catatan teknis kecil dari pemeriksaan; kode tetap bisa dipakai.',
    en: 'This code has {n} small technical notes from the check; it still works.',
  },
  cancelPaidConfirm: {
    id: 'Batalkan penjualan {total} yang sudah lunas? Uangnya tidak lagi dihitung di total.',
    en: 'Cancel the paid sale of {total}? Its money is no longer counted in the total.',
  },
  markedPaid: { id: 'Lunas: {total} tercatat.', en: 'Paid: {total} recorded.' },
  markedCancelled: { id: 'Dibatalkan: {total}.', en: 'Cancelled: {total}.' },
  dropped: {
    id: 'Penjualan tertua dihapus agar daftar tetap di bawah batas {max} penjualan.',
    en: 'The oldest sales were removed to keep the list under {max} sales.',
  },
  nearlyFull: {
    id: 'Daftar hampir penuh ({n} dari {max} penjualan). Ekspor CSV lalu hapus hari-hari lama.',
    en: 'The list is nearly full ({n} of {max} sales). Export a CSV, then delete old days.',
  },
  storageFull: {
    id: 'Penyimpanan perangkat penuh: penjualan ini tidak tersimpan di daftar.',
    en: 'Device storage is full: this sale was not stored in the list.',
  },
  storageFullStatus: {
    id: 'Penyimpanan perangkat penuh: status penjualan ini tidak bisa disimpan. Ekspor CSV, lalu hapus penjualan lama.',
    en: 'Device storage is full: the status of this sale could not be saved. Export a CSV, then delete old sales.',
  },
  offline: { id: 'Bisa dipakai tanpa internet setelah dibuka sekali.', en: 'Works without internet once opened.' },
  insecure: {
    id: 'Halaman ini dibuka lewat http biasa (bukan https), jadi kamera, pemakaian tanpa internet dan tombol salin tidak tersedia. QR tetap bisa dibuat. Cara memperbaiki: jalankan "qris serve" dengan --tls-cert dan --tls-key, atau taruh folder dari "qris pos --out" di hosting https.',
    en: 'This page was opened over plain http (not https), so the camera, offline use and the copy button are not available. QR codes can still be made. To fix it: run "qris serve" with --tls-cert and --tls-key, or put the folder from "qris pos --out" on an https host.',
  },
  fileWarning: {
    id: 'Halaman dibuka sebagai file. File HTML lain yang dibuka di browser yang sama bisa mengubah data kasir ini. Lebih aman lewat https (lihat README).',
    en: 'The page was opened as a file. Other HTML files opened in the same browser can change this cashier data. Safer over https (see the README).',
  },
  otherMerchantShown: {
    id: 'QR ini tidak ditampilkan: kodenya milik {name} ({account}), bukan QRIS toko saat ini. Buat penjualan baru.',
    en: 'This QR is not shown: its code belongs to {name} ({account}), not the current shop QRIS. Make a new sale.',
  },
  brokenShown: {
    id: 'QR ini tidak ditampilkan: data penjualan yang tersimpan rusak atau bukan QRIS untuk satu pembayaran.',
    en: 'This QR is not shown: the stored sale is damaged or is not a one-payment QRIS.',
  },
  multipleIntro: {
    id: 'Di gambar ini ada {n} QR pembayaran yang berbeda. Bisa jadi ada stiker QR kedua yang ditempel orang lain. Tidak ada yang dipasang. Periksa stiker di toko, lalu foto hanya QRIS toko Anda:',
    en: 'This picture holds {n} different payment QR codes. Someone may have stuck a second QR sticker there. Nothing was set up. Check the stickers in the shop, then photograph only your shop QRIS:',
  },
  unreadableCode: { id: 'kode yang tidak terbaca', en: 'a code that cannot be read' },
  detail: { id: 'Rincian', en: 'Details' },
} as const satisfies Record<string, Readonly<Record<Lang, string>>>;

export type StringKey = keyof typeof STRINGS;

/** Every key, for tests that look for untranslated words on screen. */
export const STRING_KEYS = Object.keys(STRINGS) as readonly StringKey[];

/** The text of `key` with its {placeholders} filled in. */
export function t(lang: Lang, key: StringKey, vars: Readonly<Record<string, string | number>> = {}): string {
  return STRINGS[key][lang].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function isStringKey(key: string): key is StringKey {
  return Object.prototype.hasOwnProperty.call(STRINGS, key);
}

/** A sentence for each refusal (the page's codes and the library's). {max} is the payment limit. */
const EXPLAIN: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  AMOUNT_EMPTY: { id: 'Masukkan jumlahnya dulu.', en: 'Enter the amount first.' },
  AMOUNT_GROUPING: {
    id: 'Titik hanya untuk ribuan, di antara kelompok tiga angka: tulis 25.000 atau 25000.',
    en: 'A dot only separates thousands, between groups of three digits: write 25.000 or 25000.',
  },
  AMOUNT_COMMA_THOUSANDS: {
    id: 'Koma berarti sen (desimal). Untuk ribuan pakai titik: 25.000, atau tanpa tanda: 25000.',
    en: 'A comma means cents (decimals). For thousands use a dot: 25.000, or no mark: 25000.',
  },
  AMOUNT_DECIMALS: {
    id: 'Sen paling banyak dua angka di belakang koma, misalnya 12.500,50.',
    en: 'At most two digits of cents after the comma, e.g. 12.500,50.',
  },
  AMOUNT_NOT_NUMBER: {
    id: 'Jumlah hanya boleh berisi angka, titik ribuan dan koma sen.',
    en: 'The amount may only hold digits, thousands dots and a cents comma.',
  },
  AMOUNT_NEGATIVE: { id: 'Jumlah tidak boleh minus.', en: 'The amount cannot be negative.' },
  AMOUNT_ZERO: { id: 'Jumlah harus lebih dari nol.', en: 'The amount must be more than zero.' },
  AMOUNT_LEADING_ZERO: { id: 'Jumlah tidak boleh diawali angka 0.', en: 'The amount cannot start with a 0.' },
  AMOUNT_TOO_LONG: { id: 'Jumlah ini terlalu panjang untuk QRIS.', en: 'This amount is too long for a QRIS.' },
  OVER_MAX: {
    id: 'Terlalu besar untuk satu pembayaran QRIS: batasnya {max} (termasuk biaya). Bagi menjadi beberapa pembayaran, atau ubah batas di Pengaturan.',
    en: 'Too large for one QRIS payment: the limit is {max} (fee included). Split it into several payments, or change the limit in Settings.',
  },
  FEE_EMPTY: { id: 'Isi nilai biaya, atau pilih tanpa biaya.', en: 'Enter the fee, or choose no fee.' },
  FEE_AMOUNT: { id: 'Biaya tetap ditulis seperti jumlah: 1.000 atau 1000.', en: 'Write a fixed fee like an amount: 1.000 or 1000.' },
  FEE_PERCENT: {
    id: 'Biaya persen antara 0 dan 100, paling banyak dua desimal, misalnya 2,5.',
    en: 'A percentage fee is between 0 and 100, with at most two decimals, e.g. 2,5.',
  },
  BILL_TOO_LONG: { id: 'Nomor tagihan paling panjang 25 karakter.', en: 'A bill number has at most 25 characters.' },
  BILL_CHARACTERS: { id: 'Nomor tagihan berisi karakter yang tidak bisa dipakai di QRIS.', en: 'The bill number holds characters a QRIS cannot carry.' },
  NOT_CONVERTIBLE: { id: 'QR untuk jumlah ini tidak bisa dibuat dari QRIS toko.', en: 'No QR can be made for this amount from the shop QRIS.' },
  MAX_BAD: { id: 'Batas ditulis seperti jumlah, lebih dari nol, misalnya 10.000.000.', en: 'Write the limit like an amount, above zero, e.g. 10.000.000.' },
  STORED_UNREADABLE: {
    id: 'QRIS toko yang tersimpan tidak terbaca. Pasang ulang dari stiker toko.',
    en: 'The stored shop QRIS cannot be read. Set it up again from the shop sticker.',
  },
  STORED_UNPINNED: {
    id: 'Halaman kasir diperbarui: pasang dan konfirmasi QRIS toko sekali lagi dari stiker toko.',
    en: 'The cashier page was updated: set up and confirm the shop QRIS once more from the shop sticker.',
  },
  STORED_CHANGED: {
    id: 'QRIS toko yang tersimpan berubah sejak Anda mengonfirmasinya, jadi tidak dipakai. Pasang ulang dari stiker toko dan periksa nomor rekeningnya.',
    en: 'The stored shop QRIS changed after you confirmed it, so it is not used. Set it up again from the shop sticker and check its account number.',
  },
  STORED_INVALID: {
    id: 'QRIS toko yang tersimpan tidak bisa dipakai lagi. Pasang ulang dari stiker toko.',
    en: 'The stored shop QRIS can no longer be used. Set it up again from the shop sticker.',
  },
  EMPTY_INPUT: { id: 'Belum ada kode yang diberikan.', en: 'No code was given.' },
  TRANSFER_CODE: {
    id: 'Ini QRIS Transfer ke rekening perorangan, bukan QRIS pembayaran toko: uang pembeli akan masuk ke rekening pribadi itu. Pakai QRIS statis toko dari bank atau dompet digital Anda.',
    en: "This is a QRIS Transfer to a person's account, not a shop payment QRIS: the payer's money would go to that personal account. Use the shop's static QRIS from your bank or e-wallet.",
  },
  CASH_CODE: {
    id: 'Ini kode tarik atau setor tunai (QRIS Tuntas), bukan QRIS pembayaran toko. Pakai QRIS statis toko dari bank atau dompet digital Anda.',
    en: "This is a cash withdrawal or deposit code (QRIS Tuntas), not a shop payment QRIS. Use the shop's static QRIS from your bank or e-wallet.",
  },
  NOT_STATIC: {
    id: 'Ini QRIS dinamis (untuk satu pembayaran). Pakai QRIS statis yang tercetak di toko.',
    en: 'This is a dynamic QRIS (for one payment). Use the printed static QRIS of the shop.',
  },
  CRC_MISMATCH: {
    id: 'Kode rusak atau salah ketik: angka pemeriksanya (CRC) tidak cocok.',
    en: 'The code is damaged or mistyped: its check digits (CRC) do not match.',
  },
  CRC_MISSING: { id: 'Kode tidak lengkap: angka pemeriksanya (CRC) tidak ada.', en: 'The code is incomplete: its check digits (CRC) are missing.' },
  TRUNCATED: { id: 'Kode terpotong: sebagian isinya hilang.', en: 'The code is cut short: part of it is missing.' },
  TOO_LONG: { id: 'Teks ini terlalu panjang untuk sebuah QRIS.', en: 'This text is too long to be a QRIS.' },
  PFI_MISSING: { id: 'Ini bukan QRIS (tidak diawali 000201).', en: 'This is not a QRIS (it does not start with 000201).' },
  PFI_NOT_FIRST: { id: 'Ini bukan QRIS (tidak diawali 000201).', en: 'This is not a QRIS (it does not start with 000201).' },
  BAD_ID: { id: 'Ini bukan QRIS yang benar: susunannya rusak.', en: 'This is not a well-formed QRIS: its structure is broken.' },
  BAD_LENGTH: { id: 'Ini bukan QRIS yang benar: susunannya rusak.', en: 'This is not a well-formed QRIS: its structure is broken.' },
  MISSING_TAG: { id: 'Ada bagian wajib QRIS yang tidak ada.', en: 'A required part of the QRIS is missing.' },
  MISSING_MERCHANT_ACCOUNT: { id: 'Kode tidak memuat rekening penjual.', en: 'The code holds no merchant account.' },
  QRIS_BAD_CURRENCY: { id: 'Mata uang kode ini bukan Rupiah.', en: 'The currency of this code is not Rupiah.' },
  IMAGE_MULTIPLE_CODES: {
    id: 'Awas: gambar ini berisi lebih dari satu QR pembayaran.',
    en: 'Careful: this picture holds more than one payment QR code.',
  },
  IMAGE_NO_QR: {
    id: 'Tidak ada QR yang terbaca di gambar. Coba foto yang lebih tajam dan lurus.',
    en: 'No QR code could be read in the image. Try a sharper, straighter photo.',
  },
  IMAGE_NOT_EMVCO: { id: 'QR di gambar ini bukan QRIS pembayaran.', en: 'The QR code in this image is not a payment QRIS.' },
  IMAGE_TIME_BUDGET: { id: 'Gambar terlalu sulit dibaca. Coba foto yang lebih dekat.', en: 'The image is too hard to read. Try a closer photo.' },
  IMAGE_TOO_LARGE: { id: 'Gambar terlalu besar. Kirim foto yang lebih kecil.', en: 'The image is too large. Send a smaller photo.' },
  IMAGE_CORRUPT: { id: 'Gambar tidak bisa dibuka.', en: 'The image cannot be opened.' },
  IMAGE_UNSUPPORTED_FORMAT: {
    id: 'Jenis file ini bukan gambar yang didukung (pakai JPG atau PNG).',
    en: 'This kind of file is not a supported image (use JPG or PNG).',
  },
  CAMERA_UNAVAILABLE: {
    id: 'Kamera tidak bisa dipakai di sini. Pakai foto atau tempel kodenya.',
    en: 'The camera cannot be used here. Use a photo or paste the code.',
  },
};

/** The sentence for a refusal `code`, or a general one when the code has none. */
export function explain(lang: Lang, code: string, vars: Readonly<Record<string, string>> = {}): string {
  const text = EXPLAIN[code]?.[lang] ?? (lang === 'id' ? 'Kode ini tidak bisa dipakai sebagai QRIS toko.' : 'This code cannot be used as the shop QRIS.');
  return text.replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
}

/** True when `code` has its own sentence (tests check every code the page can show has one). */
export function hasExplanation(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(EXPLAIN, code);
}

/**
 * The lines shown when a photo holds several payment codes: the warning, then each code's
 * merchant name, NMID and masked account (so the cashier sees which sticker is not theirs).
 */
export function multipleCodesLines(lang: Lang, cards: readonly (CodeCard | null)[]): string[] {
  const lines = [t(lang, 'multipleIntro', { n: Math.max(2, cards.length) })];
  cards.forEach((c, i) => {
    const what =
      c === null ? t(lang, 'unreadableCode') : [c.merchantName || '-', `NMID ${c.nmid || '-'}`, `${t(lang, 'account')} ${c.account || '-'}`].join(' · ');
    lines.push(`${i + 1}. ${what}`);
  });
  return lines;
}
