/**
 * The page's words in Indonesian (the default) and English, and plain-words explanations of the
 * error codes a cashier can meet. The library's own (English) message is always shown under the
 * explanation, so nothing it says is hidden.
 */
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
  useCode: { id: 'Pakai kode ini', en: 'Use this code' },
  cancel: { id: 'Batal', en: 'Cancel' },
  reading: { id: 'Membaca gambar…', en: 'Reading the image…' },
  merchant: { id: 'Toko', en: 'Shop' },
  city: { id: 'Kota', en: 'City' },
  nmid: { id: 'NMID', en: 'NMID' },
  acquirer: { id: 'Penerbit', en: 'Acquirer' },
  replace: { id: 'Ganti QRIS', en: 'Replace QRIS' },
  forget: { id: 'Hapus QRIS', en: 'Forget QRIS' },
  forgetConfirm: { id: 'Hapus QRIS toko dari perangkat ini?', en: 'Remove the shop QRIS from this device?' },
  saleHeading: { id: 'Penjualan baru', en: 'New sale' },
  amountLabel: { id: 'Jumlah (Rp)', en: 'Amount (Rp)' },
  amountHint: { id: 'Titik = ribuan, koma = desimal. Tekan Enter untuk membuat QR.', en: 'Dot = thousands, comma = decimals. Press Enter to make the QR.' },
  keypad: { id: 'Papan angka', en: 'Keypad' },
  backspace: { id: 'Hapus satu angka', en: 'Delete one digit' },
  more: { id: 'Nomor tagihan dan biaya (opsional)', en: 'Bill number and fee (optional)' },
  billLabel: { id: 'Nomor tagihan', en: 'Bill number' },
  feeLabel: { id: 'Tip / biaya layanan', en: 'Tip / fee' },
  feeNone: { id: 'Tidak ada', en: 'None' },
  feeFixed: { id: 'Biaya tetap (Rp)', en: 'Fixed fee (Rp)' },
  feePercent: { id: 'Biaya persen (%)', en: 'Percentage fee (%)' },
  feePrompt: { id: 'Pembeli mengisi tip', en: 'Payer enters a tip' },
  feeValueLabel: { id: 'Nilai biaya', en: 'Fee value' },
  makeQr: { id: 'Buat QR', en: 'Make QR' },
  qrHeading: { id: 'Silakan pindai untuk membayar', en: 'Scan to pay' },
  bill: { id: 'Tagihan', en: 'Bill' },
  fee: { id: 'Biaya', en: 'Fee' },
  tipByPayer: { id: 'tip oleh pembeli', en: 'tip by payer' },
  downloadPng: { id: 'Unduh PNG', en: 'Download PNG' },
  print: { id: 'Cetak', en: 'Print' },
  paperLabel: { id: 'Kertas struk', en: 'Receipt paper' },
  newSale: { id: 'Penjualan baru', en: 'New sale' },
  todayHeading: { id: 'Hari ini', en: 'Today' },
  colTime: { id: 'Waktu', en: 'Time' },
  colAmount: { id: 'Jumlah', en: 'Amount' },
  colBill: { id: 'Tagihan', en: 'Bill' },
  colPayload: { id: 'Kode', en: 'Code' },
  copy: { id: 'Salin', en: 'Copy' },
  copied: { id: 'Disalin', en: 'Copied' },
  show: { id: 'Tampilkan', en: 'Show' },
  exportCsv: { id: 'Ekspor CSV', en: 'Export CSV' },
  clearList: { id: 'Kosongkan daftar', en: 'Clear the list' },
  clearConfirm: { id: 'Hapus semua penjualan yang tersimpan?', en: 'Delete every stored sale?' },
  noSales: { id: 'Belum ada penjualan hari ini.', en: 'No sales yet today.' },
  total: { id: 'Total', en: 'Total' },
  saved: { id: 'QRIS toko tersimpan.', en: 'Shop QRIS saved.' },
  warnings: { id: 'Catatan (kode tetap bisa dipakai):', en: 'Notes (the code still works):' },
  storedBad: { id: 'QRIS yang tersimpan tidak bisa dipakai lagi:', en: 'The stored QRIS can no longer be used:' },
  dropped: { id: 'Penjualan tertua dihapus agar daftar tetap di bawah batas.', en: 'The oldest sales were removed to keep the list under its limit.' },
  storageFull: {
    id: 'Penyimpanan perangkat penuh: penjualan ini tidak tersimpan di daftar.',
    en: 'Device storage is full: this sale was not stored in the list.',
  },
  offline: { id: 'Bisa dipakai tanpa internet setelah dibuka sekali.', en: 'Works without internet once opened.' },
  detail: { id: 'Rincian', en: 'Details' },
} as const satisfies Record<string, Readonly<Record<Lang, string>>>;

export type StringKey = keyof typeof STRINGS;

export function t(lang: Lang, key: StringKey): string {
  return STRINGS[key][lang];
}

export function isStringKey(key: string): key is StringKey {
  return Object.prototype.hasOwnProperty.call(STRINGS, key);
}

/** Plain words for the error codes a cashier meets (library codes and this app's own). */
const EXPLAIN: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  EMPTY_AMOUNT: { id: 'Masukkan jumlahnya dulu.', en: 'Enter the amount first.' },
  AMOUNT_GROUPING: {
    id: 'Titik hanya untuk ribuan (25.000), koma untuk desimal (12,50). Periksa jumlahnya.',
    en: 'A dot only separates thousands (25.000), a comma decimals (12,50). Check the amount.',
  },
  EMPTY_FEE: { id: 'Isi nilai biaya, atau pilih tanpa biaya.', en: 'Enter the fee, or choose no fee.' },
  BAD_AMOUNT: { id: 'Jumlah ini tidak bisa dipakai di QRIS.', en: 'This amount cannot be used in a QRIS.' },
  BAD_FEE: { id: 'Biaya ini tidak bisa dipakai di QRIS.', en: 'This fee cannot be used in a QRIS.' },
  BAD_FIELD: { id: 'Isian ini tidak bisa dipakai di QRIS.', en: 'This entry cannot be used in a QRIS.' },
  EMPTY_INPUT: { id: 'Belum ada kode yang diberikan.', en: 'No code was given.' },
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
  IMAGE_NO_QR: {
    id: 'Tidak ada QR yang terbaca di gambar. Coba foto yang lebih tajam dan lurus.',
    en: 'No QR code could be read in the image. Try a sharper, straighter photo.',
  },
  IMAGE_TOO_LARGE: { id: 'Gambar terlalu besar.', en: 'The image is too large.' },
  IMAGE_CORRUPT: { id: 'Gambar tidak bisa dibuka.', en: 'The image cannot be opened.' },
  IMAGE_UNSUPPORTED_FORMAT: { id: 'Jenis gambar ini tidak didukung.', en: 'This kind of image is not supported.' },
  CAMERA_UNAVAILABLE: {
    id: 'Kamera tidak bisa dipakai di sini. Pakai foto atau tempel kodenya.',
    en: 'The camera cannot be used here. Use a photo or paste the code.',
  },
};

/** Plain words for `code`, or a generic sentence when the code has none. */
export function explain(lang: Lang, code: string): string {
  return EXPLAIN[code]?.[lang] ?? (lang === 'id' ? 'Kode ini tidak bisa dipakai.' : 'This code cannot be used.');
}
