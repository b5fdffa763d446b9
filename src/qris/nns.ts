/**
 * QRIS National Numbering System: the first 8 digits of a PAN (26-45/01, 40/01) name the PJSP
 * (payment service provider) that issued it. The one table `info` and `validate` read.
 *
 * Source: astrapay/spring-qris `src/main/java/com/astrapay/qris/QrisNationalNumberingSystem.java`
 * (MIT, commit 5fbdda73, 2026-04-13): 209 rows, one per PJSP and switch, 149 distinct 8-digit NNS.
 * Numbers and switches are that file's facts; names are written out for people. There is no
 * official public registry, so an NNS missing here is a SHOULD (`QRIS_BAD_NNS`), never an error.
 * The source's anomalies: `936002004` (BANK_BTN_SYARIAH, 9 digits) is left out; `93608161`
 * (not `9360…`) and the two NNS named twice (`93600777`, `93600037`) are kept with a `flag`.
 *
 * Adding an NNS is one line: `['93600xxx', 'Institution', 'Switch'],` (switches joined by `/`).
 */

export interface NnsEntry {
  /** The 8-digit NNS. */
  readonly nns: string;
  /** The institution (bank or e-money issuer). */
  readonly institution: string;
  /** The switches it is connected through: Alto, Artajasa, Rintis, Jalin. */
  readonly switches: readonly string[];
  /** Set when the source is odd about this row (say so rather than guess). */
  readonly flag?: string;
}

// One NNS per line: [NNS, institution, switches joined by '/', optional flag].
// prettier-ignore
const ROWS: readonly (readonly [string, string, string, string?])[] = [
  ['93600153', 'Bank Sinarmas', 'Alto/Rintis'],
  ['93600016', 'Maybank Indonesia', 'Alto'],
  ['93600918', 'ShopeePay', 'Alto/Artajasa'],
  ['93600919', 'BluePay', 'Alto/Rintis'],
  ['93600899', 'DOKU', 'Alto'],
  ['93600822', 'AstraPay', 'Alto/Rintis'],
  ['93600200', 'Bank BTN', 'Alto'],
  ['93600501', 'Digital BCA (blu)', 'Alto/Rintis'],
  ['93600828', 'TrueMoney', 'Alto'],
  ['93600826', 'DiPay', 'Alto/Artajasa/Rintis'],
  ['93600161', 'Bank Ganesha', 'Alto/Artajasa'],
  ['93600124', 'BPD Kalimantan Timur dan Kalimantan Utara', 'Alto/Rintis'],
  ['93600821', 'MidazPay', 'Alto'],
  ['93600490', 'Bank Neo Commerce', 'Alto/Artajasa'],
  ['93600019', 'Bank Panin', 'Alto/Rintis'],
  ['93600542', 'Bank Jago', 'Alto'],
  ['93600535', 'SeaBank', 'Alto/Artajasa/Rintis'],
  ['93600839', 'Cashlez', 'Alto'],
  ['93600847', 'Honest', 'Alto'],
  ['93600777', 'Finpay / Finnet', 'Alto/Jalin', 'named twice in the source: FINPAY (Alto), FINNET (Jalin)'],
  ['93600054', 'Bank Capital Indonesia', 'Alto/Rintis'],
  ['93600117', 'BPD Sumatera Utara', 'Alto/Artajasa/Rintis'],
  ['93600836', 'Nusapay Solusi Indonesia', 'Alto/Artajasa'],
  ['93600849', 'Paylabs', 'Alto'],
  ['93600848', 'Xendit', 'Alto'],
  ['93600825', 'Zipay', 'Alto/Jalin'],
  ['93600814', 'Netzme', 'Alto/Artajasa/Jalin'],
  ['93600816', 'MNC SPIN', 'Alto/Jalin'],
  ['93600916', 'Gudang Voucher', 'Alto/Artajasa'],
  ['93600562', 'Superbank Indonesia', 'Alto'],
  ['93600253', 'Bank Nano Syariah', 'Alto'],
  ['93600472', 'Bank Jasa Jakarta', 'Alto/Rintis'],
  ['93600567', 'Allo Bank', 'Alto/Rintis'],
  ['93600688', 'BPR Karyajatnika Sadaya (BPRKS)', 'Alto'],
  ['93600037', 'Bank Artha Graha Internasional', 'Alto/Rintis', 'named twice in the source: AGI (Alto), BANK_ARTHA_GRAHA_INTERNATIONAL (Rintis)'],
  ['93600831', 'InaCash', 'Alto/Jalin'],
  ['93600842', 'Qoin', 'Alto/Rintis'],
  ['93600690', 'Bank Eka', 'Alto/Artajasa'],
  ['93600014', 'Bank BCA', 'Alto/Rintis'],
  ['93600503', 'Bank Nobu', 'Alto/Artajasa/Rintis/Jalin'],
  ['93600947', 'Bank Aladin Syariah', 'Alto/Artajasa'],
  ['93600914', 'GoPay', 'Alto/Artajasa'],
  ['93600915', 'DANA', 'Alto/Artajasa/Rintis'],
  ['93600817', 'YUKK', 'Alto/Rintis/Jalin'],
  ['93600923', 'YourPay', 'Alto/Rintis'],
  ['93600809', 'Bayarind', 'Alto'],
  ['93600827', 'Fello', 'Alto/Jalin'],
  ['93600009', 'Bank BNI', 'Artajasa/Rintis'],
  ['93600013', 'Bank Permata', 'Artajasa'],
  ['93600114', 'Bank Jatim', 'Artajasa/Rintis'],
  ['93600129', 'BPD Bali', 'Artajasa'],
  ['93600451', 'Bank Syariah Indonesia', 'Artajasa'],
  ['93600911', 'LinkAja', 'Artajasa'],
  ['93600912', 'OVO', 'Artajasa'],
  ['93600917', 'Paytren', 'Artajasa'],
  ['93600023', 'UOB Indonesia', 'Artajasa'],
  ['93600130', 'BPD NTT', 'Artajasa/Jalin'],
  ['93600147', 'Bank Muamalat', 'Artajasa'],
  ['93600115', 'Bank Jambi', 'Artajasa'],
  ['93600167', 'Bank QNB Indonesia', 'Artajasa'],
  ['93600553', 'Bank Mayora', 'Artajasa'],
  ['93600132', 'BPD Papua', 'Artajasa/Rintis'],
  ['93600123', 'Bank Kalbar', 'Artajasa/Rintis'],
  ['93600425', 'Bank BJB Syariah', 'Artajasa'],
  ['93600152', 'Bank Shinhan Indonesia', 'Artajasa'],
  ['93600485', 'MotionBanking (MNC Bank)', 'Artajasa'],
  ['93600820', 'PAC Cash', 'Artajasa'],
  ['93600121', 'Bank Lampung', 'Artajasa'],
  ['93600122', 'Bank Kalsel', 'Artajasa'],
  ['93600031', 'Citibank', 'Artajasa'],
  ['93600829', 'M-Bayar', 'Artajasa/Jalin'],
  ['93600127', 'Bank SulutGo', 'Artajasa'],
  ['93600212', 'Bank Woori Saudara', 'Artajasa'],
  ['93600133', 'Bank Bengkulu', 'Artajasa'],
  ['93600837', 'Cashfazz', 'Artajasa'],
  ['93600022', 'CIMB Niaga', 'Artajasa/Rintis'],
  ['93600950', 'Bank Commonwealth', 'Artajasa'],
  ['93600046', 'digibank (DBS Indonesia)', 'Artajasa'],
  ['93600506', 'Bank Mega Syariah', 'Artajasa'],
  ['93600521', 'Bank KB Bukopin Syariah', 'Artajasa'],
  ['93600459', 'Krom Bank', 'Artajasa'],
  ['93600547', 'Bank BTPN Syariah', 'Artajasa'],
  ['93600555', 'Bank Index', 'Artajasa'],
  ['93600689', 'BPRS Hijra', 'Artajasa'],
  ['93600146', 'Bank of India Indonesia', 'Artajasa'],
  ['93600095', 'Bank J Trust Indonesia', 'Artajasa'],
  ['93600128', 'Bank NTB Syariah', 'Artajasa'],
  ['93600113', 'Bank Jateng', 'Artajasa'],
  ['93600135', 'Bank Sultra', 'Artajasa'],
  ['93600131', 'BPD Maluku dan Maluku Utara', 'Artajasa'],
  ['93600137', 'Jawara Mobile (Bank Banten)', 'Artajasa'],
  ['93600835', 'Virgo', 'Artajasa'],
  ['93600838', 'DutaMoney', 'Artajasa'],
  ['93600426', 'Bank Mega', 'Artajasa/Rintis'],
  ['93600002', 'Bank BRI', 'Artajasa/Rintis/Jalin'],
  ['93600008', 'Bank Mandiri', 'Artajasa/Rintis/Jalin'],
  ['93600818', 'Paydia', 'Artajasa/Jalin'],
  ['93600813', 'GPay', 'Artajasa/Rintis/Jalin'],
  ['93600841', 'BatPay', 'Artajasa/Jalin'],
  ['93600441', 'KB Bank', 'Rintis'],
  ['93600011', 'Bank Danamon', 'Rintis'],
  ['93600119', 'Bank Riau Kepri', 'Rintis'],
  ['93600536', 'BCA Syariah', 'Rintis'],
  ['93600028', 'OCBC Indonesia', 'Rintis'],
  ['93600110', 'Bank BJB', 'Rintis'],
  ['93600111', 'Bank DKI', 'Rintis'],
  ['93600118', 'Bank Nagari', 'Rintis'],
  ['93600811', 'OttoCash', 'Rintis'],
  ['93600120', 'Bank Sumsel Babel', 'Rintis'],
  ['93600548', 'Bank Multiarta Sentosa', 'Rintis'],
  ['93600126', 'Bank Sulselbar', 'Rintis'],
  ['93600213', 'Bank BTPN', 'Rintis'],
  ['93600484', 'Bank Hana', 'Rintis'],
  ['93600812', 'KasPro', 'Rintis'],
  ['93600920', 'i.saku', 'Rintis'],
  ['93600112', 'BPD DIY', 'Rintis'],
  ['93600523', 'Bank Sahabat Sampoerna', 'Rintis'],
  ['93600076', 'Bank Bumi Arta', 'Rintis'],
  ['93600513', 'Bank Ina Perdana', 'Rintis'],
  ['93600998', 'QRIS DSP', 'Rintis'],
  ['93600531', 'Amar Bank', 'Rintis'],
  ['93600157', 'Bank Maspion', 'Rintis'],
  ['93600036', 'Bank China Construction Bank Indonesia', 'Rintis'],
  ['93600151', 'Bank Mestika Dharma', 'Rintis'],
  ['93600945', 'Bank IBK Indonesia', 'Rintis'],
  ['93600566', 'Bank Victoria International', 'Rintis'],
  ['93600949', 'Bank CTBC Indonesia', 'Rintis'],
  ['93600125', 'BPD Kalimantan Tengah', 'Rintis'],
  ['93600823', 'Paprika', 'Rintis'],
  ['93600922', 'EzeeLink', 'Rintis'],
  ['93600844', 'WOI', 'Rintis'],
  ['93600845', 'Pakaidonk', 'Rintis'],
  ['93600843', 'YooPay', 'Rintis'],
  ['93600517', 'Bank Panin Dubai Syariah', 'Rintis/Jalin'],
  ['93600498', 'Bank SBI Indonesia', 'Rintis'],
  ['93600116', 'Bank Aceh Syariah', 'Jalin'],
  ['93600815', 'Bimasakti', 'Jalin'],
  ['93600898', 'Telkom', 'Jalin'],
  ['93600422', 'BRIS Pay (Bank Syariah Indonesia)', 'Jalin'],
  ['93600808', 'Bayarind', 'Jalin'],
  ['93608161', 'Pos Indonesia', 'Jalin', 'not a 9360 prefix in the source'],
  ['93600494', 'Bank Raya', 'Jalin'],
  ['93600830', 'Yodu', 'Jalin'],
  ['93600832', 'GDC Pay', 'Jalin'],
  ['93600921', 'SaldoMu', 'Jalin'],
  ['93600834', 'Duwit', 'Jalin'],
  ['93600833', 'Wide', 'Jalin'],
  ['93600824', 'Visi Jaya Indonesia', 'Jalin'],
  ['93600564', 'Bank Mandiri Taspen', 'Jalin'],];

/** NNS -> entry, frozen. */
export const QRIS_NNS: ReadonlyMap<string, NnsEntry> = /* @__PURE__ */ (() => {
  const m = new Map<string, NnsEntry>();
  for (const [nns, institution, switches, flag] of ROWS) {
    if (m.has(nns)) throw new Error(`nns: ${nns} listed twice`);
    m.set(nns, Object.freeze({ nns, institution, switches: Object.freeze(switches.split('/')), ...(flag === undefined ? {} : { flag }) }));
  }
  return m;
})();

/** The entry for the first 8 digits of `pan`, or undefined (short, non-digit or unknown). */
export function nnsOf(pan: string | undefined): NnsEntry | undefined {
  return pan === undefined || pan.length < 8 ? undefined : QRIS_NNS.get(pan.slice(0, 8));
}
