/**
 * The cashier page: wires the DOM of index.html to the set-up check (merchant.ts), the sale
 * (sale.ts), what a QR screen may show (payment.ts), the sale's life (ledger.ts), the local store
 * (store.ts), the CSV (csv.ts) and the words (i18n.ts). All state lives in one `state` object owned
 * here; every change goes through `render()`. No rule lives here: only which module to ask.
 */
import { isQrisError } from '../index.js';
import { salesCsv } from './csv.js';
import { breakdownText, csvName, csvWords, dateText, dateTimeText, feeLine, feeText, timeText, totalText } from './display.js';
import { explain, isStringKey, multipleCodesLines, t, type Lang, type StringKey } from './i18n.js';
import { dayKey, inDays, newRecord, pendingElsewhere, totals, type SaleRecord, type Status } from './ledger.js';
import { candidateCards, checkStaticCode, type Merchant, type SetupIssue } from './merchant.js';
import { payerTotal, senText, toSen } from './money.js';
import { checkPayment, readPayment, type Payment } from './payment.js';
import { decodeFrame, decodeFromFile, drawQr, qrPng, type FrameReading } from './qr.js';
import { formatRupiah, liveFormat, parseAmount } from './rupiah.js';
import { feeFromInput, makeSale, type FeeKind } from './sale.js';
import { MAX_SALES, PosStore, WARN_SALES, type Paper } from './store.js';

/** A refusal as shown: its code (kept as data-code for support) and extra lines of its own. */
interface Shown {
  readonly code: string;
  readonly lines?: readonly string[];
}

interface Notice {
  readonly key: StringKey;
  readonly vars?: Readonly<Record<string, string | number>>;
  readonly tone?: 'error';
}

interface State {
  lang: Lang;
  merchant: Merchant | null;
  /** A code read at set-up, waiting for the cashier to confirm it is theirs. */
  candidate: { readonly merchant: Merchant; readonly warnings: readonly SetupIssue[] } | null;
  /** True while a saved merchant's code is being replaced (set-up shown, with Cancel). */
  replacing: boolean;
  /** The sale on the QR screen: its record and what was read back from its payload. */
  current: { readonly record: SaleRecord; readonly payment: Payment } | null;
  /** The payload the canvas holds now: the QR screen shows only once it is `current`'s. */
  drawn: string | null;
  setupErrors: readonly Shown[];
  saleError: { readonly code: string; readonly fieldId: string } | null;
  notice: Notice | null;
  camera: MediaStream | null;
  /** The cashier typed a separator into the amount: its dots are theirs, not regrouped. */
  ownDots: boolean;
  /** The days listed; null = today, whatever day that is when the list is drawn. */
  range: { readonly from: string; readonly to: string } | null;
  maxError: boolean;
}

/** Pending sales of the last week (and no older) are pointed out when another day is shown. */
const PENDING_DAYS = 7;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
};

const store = new PosStore(window.localStorage);
const secure = window.isSecureContext;
const fromFile = location.protocol === 'file:';
const state: State = {
  lang: store.lang(),
  merchant: null,
  candidate: null,
  replacing: false,
  current: null,
  drawn: null,
  setupErrors: [],
  saleError: null,
  notice: null,
  camera: null,
  ownDots: false,
  range: null,
  maxError: false,
};

const loaded = store.loadMerchant();
if (loaded?.ok) state.merchant = loaded.merchant;
else if (loaded && !loaded.ok) state.setupErrors = [{ code: loaded.code }];

// ---- Rendering -----------------------------------------------------------------------------------

function render(): void {
  const { lang, merchant } = state;
  document.documentElement.lang = lang;
  document.title = t(lang, 'title');
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-i18n]'))) {
    const key = el.dataset['i18n']!;
    if (isStringKey(key)) el.textContent = t(lang, key);
  }
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-i18n-label]'))) {
    const key = el.dataset['i18nLabel']!;
    if (isStringKey(key)) el.setAttribute('aria-label', t(lang, key));
  }
  $('lang-id').setAttribute('aria-pressed', String(lang === 'id'));
  $('lang-en').setAttribute('aria-pressed', String(lang === 'en'));

  const confirming = state.candidate !== null;
  const settingUp = (merchant === null || state.replacing) && !confirming;
  const selling = merchant !== null && !settingUp && !confirming;
  $('setup').hidden = !settingUp;
  $('confirm').hidden = !confirming;
  $('setup-cancel').hidden = merchant === null;
  $('camera-field').hidden = !secure || !navigator.mediaDevices?.getUserMedia;
  $('camera-start').hidden = state.camera !== null;
  $('camera').hidden = state.camera === null;
  $('sale').hidden = !selling || state.current !== null;
  // Between "Buat QR" and the QR drawn, neither screen: the canvas must never show the last sale's QR.
  $('result').hidden = !selling || state.current === null || state.drawn !== state.current.payment.payload;
  $('days').hidden = !selling;
  $('settings').hidden = !selling;
  $('shopline').hidden = !selling;
  document.body.classList.toggle('selling', selling);
  $('offline').hidden = !(fromFile || (secure && 'serviceWorker' in navigator));
  const warning = $('context-warning');
  warning.hidden = secure && !fromFile;
  warning.textContent = !secure ? t(lang, 'insecure') : fromFile ? t(lang, 'fileWarning') : '';

  const notice = $('notice');
  notice.hidden = state.notice === null;
  notice.textContent = state.notice ? t(lang, state.notice.key, state.notice.vars) : '';
  notice.classList.toggle('bad', state.notice?.tone === 'error');

  renderSetupErrors();
  renderConfirm();
  if (merchant) {
    $('shopline-name').textContent = merchant.merchantName || '-';
    $('shopline-account').textContent = merchant.account;
    $('shop-name').textContent = merchant.merchantName || '-';
    $('shop-city').textContent = merchant.merchantCity || '-';
    $('shop-nmid').textContent = merchant.nmid || '-';
    $('shop-acquirer').textContent = merchant.acquirer || '-';
    $('shop-account').textContent = merchant.account || '-';
  }
  renderSaleError();
  renderFee();
  renderReceipt();
  renderList();
  renderSettings();
}

function renderSetupErrors(): void {
  const box = $('setup-error');
  box.replaceChildren();
  for (const e of state.setupErrors) {
    const p = para(explain(state.lang, e.code));
    p.dataset['code'] = e.code;
    box.append(p);
    for (const line of e.lines ?? []) box.append(para(line, 'detail'));
  }
  box.hidden = box.childElementCount === 0;
}

function renderConfirm(): void {
  const c = state.candidate;
  if (!c) return;
  const m = c.merchant;
  $('confirm-name').textContent = m.merchantName || '-';
  $('confirm-city').textContent = m.merchantCity || '-';
  $('confirm-nmid').textContent = m.nmid || '-';
  $('confirm-acquirer').textContent = m.acquirer || '-';
  $('confirm-account').textContent = m.account || '-';
  const old = state.merchant;
  const replacing = $('confirm-replacing');
  replacing.hidden = old === null || old.pin === m.pin;
  replacing.textContent = old ? t(state.lang, 'confirmReplacing', { old: `${old.merchantName} (${old.account})` }) : '';
  const notes = $('confirm-notes');
  notes.replaceChildren();
  if (c.warnings.length > 0) {
    const p = para(t(state.lang, 'warnings', { n: c.warnings.length }));
    p.dataset['code'] = c.warnings.map((w) => w.code).join(' ');
    notes.append(p);
  }
  notes.hidden = c.warnings.length === 0;
}

function renderSaleError(): void {
  const box = $('sale-error');
  const e = state.saleError;
  box.replaceChildren();
  box.hidden = e === null;
  for (const id of ['amount', 'bill', 'fee-kind', 'fee-value']) $(id).removeAttribute('aria-invalid');
  if (e === null) return;
  const p = para(explain(state.lang, e.code, { max: formatRupiah(store.maxPayment()) }));
  p.dataset['code'] = e.code;
  box.append(p);
  $(e.fieldId).setAttribute('aria-invalid', 'true');
}

/** The fee, while one is on, stays in sight on the sale screen with what the payer will pay. */
function renderFee(): void {
  const kind = $<HTMLSelectElement>('fee-kind').value as FeeKind;
  $('fee-value-field').hidden = kind !== 'fixed' && kind !== 'percent';
  const fee = feeFromInput(kind, $<HTMLInputElement>('fee-value').value);
  const on = fee.ok && fee.fee !== null;
  $('fee-badge').hidden = !on;
  if (on && fee.fee) $('fee-badge-text').textContent = t(state.lang, 'feeOn', { fee: feeText(state.lang, fee.fee) });
  const amount = parseAmount($<HTMLInputElement>('amount').value);
  const total = on && amount.ok && fee.ok ? payerTotal(amount.text, fee.fee) : null;
  const line = $('payer-total');
  line.hidden = !on || !amount.ok;
  line.textContent = amount.ok
    ? t(state.lang, 'payerPays', { total: total !== null ? formatRupiah(total) : `${formatRupiah(amount.text)} ${t(state.lang, 'plusTip')}` })
    : '';
}

function renderReceipt(): void {
  const cur = state.current;
  if (!cur) return;
  const p = cur.payment; // every word here is read from the payload that is drawn
  const { lang } = state;
  const total = totalText(state.lang, p);
  $('receipt-amount').textContent = total;
  $('receipt-breakdown').textContent = breakdownText(lang, p);
  $('receipt-merchant').textContent = p.merchantName;
  $('qr').setAttribute('aria-label', `QRIS ${total}, ${p.merchantName}`);
  $('check-wallet').textContent = p.total !== null ? t(lang, 'checkWallet', { total }) : t(lang, 'checkWalletTip');
  const rows: [string, string][] = [
    [t(lang, 'city'), p.merchantCity],
    [t(lang, 'nmid'), p.nmid],
    [t(lang, 'acquirer'), p.acquirer],
    [t(lang, 'account'), p.account],
    [t(lang, 'bill'), p.billNumber],
    [t(lang, 'when'), dateTimeText(state.lang, cur.record.time)],
  ];
  const dl = $('receipt-details');
  dl.replaceChildren();
  for (const [k, v] of rows) {
    if (v === '') continue;
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    if (k === t(lang, 'nmid') || k === t(lang, 'account')) dd.className = 'nowrap';
    div.append(dt, dd);
    dl.append(div);
  }
  $<HTMLSelectElement>('paper').value = store.paper();
  renderSlip(p, cur.record.time);
}

/** The print slip: the same facts as the QR screen, in a box as wide as the paper's print area. */
function renderSlip(p: Payment, time: string): void {
  $('slip-merchant').textContent = p.merchantName;
  $('slip-city').textContent = p.merchantCity;
  $('slip-amount').textContent = totalText(state.lang, p);
  $('slip-breakdown').textContent = p.fee ? `${formatRupiah(p.amount)} + ${feeLine(state.lang, p)}` : '';
  const lines = [
    `NMID ${p.nmid}`,
    `${t(state.lang, 'accountShort')} ${p.account}`,
    p.billNumber ? `${t(state.lang, 'bill')} ${p.billNumber}` : '',
    dateTimeText(state.lang, time),
  ];
  const box = $('slip-lines');
  box.replaceChildren();
  for (const line of lines) {
    if (line === '') continue;
    const span = document.createElement('span');
    span.className = 'nowrap';
    span.textContent = line;
    if (box.childElementCount > 0) box.append(document.createElement('br'));
    box.append(span);
  }
  fitPage();
}

function listRange(): { from: string; to: string } {
  const today = dayKey(new Date());
  return state.range ?? { from: today, to: today };
}

function renderList(): void {
  const m = state.merchant;
  if (!m) return;
  const { lang } = state;
  const { from, to } = listRange();
  $<HTMLInputElement>('day-from').value = from;
  $<HTMLInputElement>('day-to').value = to;
  const all = store.loadSales();
  const shown = inDays(all, from, to).reverse();
  const body = $('sales').querySelector('tbody')!;
  body.replaceChildren();
  const manyDays = from !== to;
  for (const r of shown) {
    const check = checkPayment(r.payload, m);
    const p = check.ok ? check.payment : check.reason === 'OTHER_MERCHANT' ? check.payment : null;
    const tr = document.createElement('tr');
    tr.dataset['status'] = r.status;
    tr.dataset['id'] = r.id;
    const when = manyDays ? `${dateText(state.lang, r.time)} ${timeText(state.lang, r.time)}` : timeText(state.lang, r.time);
    const amountCell = cell(p ? totalText(state.lang, p) : t(lang, 'unreadable'), 'num');
    const statusCell = cell(t(lang, r.status === 'paid' ? 'paid' : r.status === 'cancelled' ? 'cancelled' : 'pending'), `status ${r.status}`);
    if (p?.billNumber) statusCell.append(para(`${t(lang, 'bill')}: ${p.billNumber}`, 'sub'));
    if (!check.ok && check.reason === 'OTHER_MERCHANT')
      statusCell.append(para(t(lang, 'oldMerchant', { name: check.payment.merchantName, account: check.payment.account }), 'sub other'));
    const actions = document.createElement('td');
    actions.className = 'acts';
    const label = `${timeText(state.lang, r.time)} ${p ? totalText(state.lang, p) : ''}`;
    if (r.status === 'pending') {
      actions.append(
        button(t(lang, 'show'), 'show secondary', () => void showAgain(r), label),
        button(t(lang, 'paid'), 'paid secondary', () => settleRow(r, 'paid'), label),
        button(t(lang, 'cancelSale'), 'cancel secondary danger', () => settleRow(r, 'cancelled'), label),
      );
    } else if (r.status === 'paid') {
      actions.append(button(t(lang, 'cancelSale'), 'cancel secondary danger', () => settleRow(r, 'cancelled'), label));
    }
    if (check.ok) {
      const copy = button(t(lang, 'copy'), 'copy secondary', () => void copyText(r.payload, copy), label);
      copy.dataset['payload'] = r.payload;
      actions.append(copy);
    }
    tr.append(cell(when), amountCell, statusCell, actions);
    body.append(tr);
  }
  // Sales still waiting on another day (yesterday's, after midnight) stay in sight.
  const elsewhere = pendingElsewhere(all, from, to, dayKey(new Date(Date.now() - PENDING_DAYS * 86_400_000)));
  $('elsewhere').hidden = elsewhere.count === 0;
  $('elsewhere-text').textContent = t(lang, 'pendingElsewhere', { n: elsewhere.count });
  $('elsewhere-show').dataset['from'] = elsewhere.oldest ?? '';
  $('no-sales').hidden = shown.length > 0;
  $('sales').hidden = shown.length === 0;
  $('export').hidden = shown.length === 0;
  const sum = totals(shown);
  const box = $('totals');
  box.replaceChildren();
  if (shown.length > 0) {
    const main = para(t(lang, 'totalPaid', { sum: formatRupiah(senText(sum.paidSen)), n: sum.paidCount }), 'sum');
    main.id = 'total-paid';
    box.append(main);
    if (sum.feeSen > 0n) box.append(para(t(lang, 'totalFees', { fee: formatRupiah(senText(sum.feeSen)) }), 'sub'));
    if (sum.tipUnknown > 0) box.append(para(t(lang, 'totalTips', { n: sum.tipUnknown }), 'sub'));
    box.append(para(t(lang, 'totalOpen', { p: sum.pendingCount, c: sum.cancelledCount }), 'sub'));
  }
}

function renderSettings(): void {
  const max = $<HTMLInputElement>('max');
  if (document.activeElement !== max) max.value = groupAmount(store.maxPayment());
  $<HTMLSelectElement>('sep').value = store.separator();
  const err = $('max-error');
  err.hidden = !state.maxError;
  err.textContent = state.maxError ? explain(state.lang, 'MAX_BAD') : '';
}

function groupAmount(text: string): string {
  return formatRupiah(text).slice(3);
}

function para(text: string, cls?: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.textContent = text;
  if (cls) p.className = cls;
  return p;
}

function cell(text: string, cls?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function button(text: string, cls: string, onClick: () => void, label?: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = text;
  if (label) b.setAttribute('aria-label', `${text} ${label}`);
  b.addEventListener('click', onClick);
  return b;
}

// ---- Set-up --------------------------------------------------------------------------------------

/** A code read at set-up: refused with its reasons, or shown for the cashier to confirm. */
function offerCode(text: string): void {
  const r = checkStaticCode(text);
  state.notice = null;
  if (!r.ok) {
    state.setupErrors = r.issues.map((i) => ({ code: i.code }));
    render();
    return;
  }
  state.setupErrors = [];
  state.candidate = { merchant: r.merchant, warnings: r.warnings };
  render();
  $('confirm-h').focus();
}

function confirmCandidate(): void {
  const c = state.candidate;
  if (!c) return;
  store.saveMerchant(c.merchant);
  state.merchant = c.merchant;
  state.candidate = null;
  state.replacing = false;
  state.current = null;
  state.notice = { key: 'saved', vars: { name: c.merchant.merchantName, account: c.merchant.account } };
  $<HTMLTextAreaElement>('paste').value = '';
  render();
  $('amount').focus();
}

function showImageError(e: unknown): void {
  if (!isQrisError(e)) throw e;
  const code: string = e.code;
  // The candidates field arrives with the image work (issue 17): read it defensively.
  if (code === 'IMAGE_MULTIPLE_CODES') showSeveralCodes((e as { candidates?: unknown }).candidates);
  else {
    state.setupErrors = [{ code }];
    state.notice = null;
    render();
  }
}

/** A picture with two or more different payment codes: nothing is set up; each code is listed. */
function showSeveralCodes(candidates: unknown): void {
  state.setupErrors = [{ code: 'IMAGE_MULTIPLE_CODES', lines: multipleCodesLines(state.lang, candidateCards(candidates)) }];
  state.notice = null;
  render();
}

async function onPhoto(input: HTMLInputElement): Promise<void> {
  const file = input.files?.[0];
  if (!file) return;
  state.notice = { key: 'reading' };
  state.setupErrors = [];
  render();
  try {
    offerCode(await decodeFromFile(file));
  } catch (e) {
    showImageError(e);
  } finally {
    input.value = ''; // the same file can be chosen again after a fix
  }
}

async function startCamera(): Promise<void> {
  if (!navigator.mediaDevices?.getUserMedia) {
    state.setupErrors = [{ code: 'CAMERA_UNAVAILABLE' }];
    render();
    return;
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch {
    state.setupErrors = [{ code: 'CAMERA_UNAVAILABLE' }];
    render();
    return;
  }
  state.camera = stream;
  state.setupErrors = [];
  render();
  const video = $<HTMLVideoElement>('camera-video');
  video.srcObject = stream;
  await video.play().catch(() => undefined);
  $('camera-stop').focus();
  void scanLoop(video, stream);
}

async function scanLoop(video: HTMLVideoElement, stream: MediaStream): Promise<void> {
  while (state.camera === stream) {
    if (video.readyState >= 2 && video.videoWidth > 0) {
      let reading: FrameReading;
      try {
        reading = await decodeFrame(video, video.videoWidth, video.videoHeight);
      } catch (e) {
        stopCamera(); // e.g. two codes in view: explained once, not every frame
        showImageError(e);
        return;
      }
      if (reading.kind !== 'none' && state.camera === stream) {
        stopCamera(); // one reading: a wrong code is explained once, not every frame
        if (reading.kind === 'one') offerCode(reading.payload);
        else showSeveralCodes(reading.payloads);
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function stopCamera(): void {
  const stream = state.camera;
  if (!stream) return;
  for (const track of stream.getTracks()) track.stop();
  $<HTMLVideoElement>('camera-video').srcObject = null;
  state.camera = null;
  render();
}

// ---- Sales ---------------------------------------------------------------------------------------

function saleId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Date.now().toString(36) + '-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function onSale(): void {
  const m = state.merchant;
  // One sale per QR screen: a second Enter before the first QR is drawn finds `current` set.
  if (!m || state.current !== null) return;
  const result = makeSale(
    m.payload,
    {
      amount: $<HTMLInputElement>('amount').value,
      billNumber: $<HTMLInputElement>('bill').value,
      feeKind: $<HTMLSelectElement>('fee-kind').value as FeeKind,
      feeValue: $<HTMLInputElement>('fee-value').value,
    },
    store.maxPayment(),
  );
  const check = result.ok ? checkPayment(result.payload, m) : null;
  if (!result.ok || !check?.ok) {
    const code = result.ok ? 'NOT_CONVERTIBLE' : result.code;
    const field =
      result.ok || result.field === 'amount' ? 'amount' : result.field === 'billNumber' ? 'bill' : $('fee-value-field').hidden ? 'fee-kind' : 'fee-value';
    state.saleError = { code, fieldId: field };
    if (field !== 'amount') $<HTMLDetailsElement>('more').open = true;
    render();
    $(field).focus();
    return;
  }
  state.saleError = null;
  state.notice = null;
  const record = newRecord(saleId(), result.payload, new Date());
  try {
    const dropped = store.addSale(record);
    const count = store.loadSales().length;
    if (dropped > 0) state.notice = { key: 'dropped', vars: { max: MAX_SALES } };
    else if (count >= WARN_SALES) state.notice = { key: 'nearlyFull', vars: { n: count, max: MAX_SALES } };
  } catch {
    state.notice = { key: 'storageFull', tone: 'error' }; // quota: the QR is still shown, the list says why it lacks it
  }
  void present(record, check.payment);
}

/** Puts a verified sale on the QR screen: the words and the QR both come from `payment.payload`. */
async function present(record: SaleRecord, payment: Payment): Promise<void> {
  state.current = { record, payment };
  state.drawn = null;
  render();
  await drawQr($<HTMLCanvasElement>('qr'), payment.payload);
  if (state.current?.record.id !== record.id) return; // a newer sale or screen took over meanwhile
  state.drawn = payment.payload;
  render();
  $<HTMLImageElement>('slip-qr').src = $<HTMLCanvasElement>('qr').toDataURL('image/png');
  fitPage();
  $('result-h').focus();
}

/** "Show again" from the list: re-verified against the current merchant before anything is drawn. */
async function showAgain(record: SaleRecord): Promise<void> {
  const m = state.merchant;
  if (!m) return;
  const check = checkPayment(record.payload, m);
  if (!check.ok) {
    state.notice =
      check.reason === 'OTHER_MERCHANT'
        ? { key: 'otherMerchantShown', vars: { name: check.payment.merchantName, account: check.payment.account }, tone: 'error' }
        : { key: 'brokenShown', tone: 'error' };
    render();
    $('notice').scrollIntoView({ block: 'nearest' });
    return;
  }
  state.notice = null;
  await present(record, check.payment);
}

function settleRow(record: SaleRecord, to: Status): void {
  const p = readPayment(record.payload);
  const total = p ? totalText(state.lang, p) : '';
  if (to === 'cancelled' && record.status === 'paid' && !window.confirm(t(state.lang, 'cancelPaidConfirm', { total }))) return;
  let after: SaleRecord | undefined;
  try {
    after = store.settle(record.id, to, new Date());
  } catch {
    state.notice = { key: 'storageFullStatus', tone: 'error' }; // quota: nothing changed in the list
    render();
    return;
  }
  if (after?.status === to && p) state.notice = { key: to === 'paid' ? 'markedPaid' : 'markedCancelled', vars: { total } };
  if (state.current?.record.id === record.id) state.current = null;
  render();
}

/** Lunas or Batal on the QR screen: recorded, and the next sale starts (one tap). */
function settleCurrent(to: Status): void {
  const cur = state.current;
  if (!cur) return;
  settleRow(cur.record, to);
  newSale();
}

function newSale(first = ''): void {
  state.current = null;
  state.saleError = null;
  $<HTMLInputElement>('amount').value = first;
  $<HTMLInputElement>('bill').value = '';
  state.ownDots = false;
  render();
  $('amount').focus();
}

function keypad(key: string): void {
  const input = $<HTMLInputElement>('amount');
  if (key === 'back') {
    const v = input.value;
    // Deleting the digit before a grouping dot deletes the dot with it.
    input.value = state.ownDots ? v.slice(0, -1) : liveFormat(v.replace(/\.?.$/, ''));
  } else {
    input.value = state.ownDots ? input.value + key : liveFormat(input.value + key);
  }
  if (input.value === '') state.ownDots = false;
  state.saleError = null;
  renderSaleError();
  renderFee();
}

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function stamp(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${dayKey(d)}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

async function copyText(text: string, from: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard (plain http on a LAN address): select the text for a manual copy.
    window.prompt(t(state.lang, 'copy'), text);
    return;
  }
  from.textContent = t(state.lang, 'copied');
  setTimeout(() => (from.textContent = t(state.lang, 'copy')), 1500);
}

function setPaper(paper: Paper): void {
  store.setPaper(paper);
  document.body.classList.toggle('paper-58', paper === '58');
  document.body.classList.toggle('paper-80', paper === '80');
  fitPage();
}

/** The printed page is as long as the slip (measured off-screen at its print width) and no longer. */
function fitPage(): void {
  const paper = store.paper();
  const mm = Math.ceil(($('slip').getBoundingClientRect().height * 25.4) / 96) + 4;
  $('page-size').textContent = `@page { size: ${paper}mm ${Math.max(mm, 40)}mm; margin: 0; }`;
}

function exportCsv(): void {
  const { from, to } = listRange();
  const records = inDays(store.loadSales(), from, to);
  download(
    csvName(state.lang, from, to),
    new Blob([salesCsv(records, readPayment, csvWords(state.lang), store.separator())], { type: 'text/csv;charset=utf-8' }),
  );
}

// ---- Wiring --------------------------------------------------------------------------------------

function setLang(lang: Lang): void {
  state.lang = lang;
  store.setLang(lang);
  render();
}

$('lang-id').addEventListener('click', () => setLang('id'));
$('lang-en').addEventListener('click', () => setLang('en'));
$<HTMLInputElement>('photo').addEventListener('change', (e) => void onPhoto(e.currentTarget as HTMLInputElement));
$('camera-start').addEventListener('click', () => void startCamera());
$('camera-stop').addEventListener('click', stopCamera);
$('paste-form').addEventListener('submit', (e) => {
  e.preventDefault();
  offerCode($<HTMLTextAreaElement>('paste').value);
});
$('confirm-yes').addEventListener('click', confirmCandidate);
$('confirm-no').addEventListener('click', () => {
  state.candidate = null;
  render();
  $('photo').focus();
});
$('setup-cancel').addEventListener('click', () => {
  stopCamera();
  state.replacing = false;
  state.setupErrors = [];
  render();
  $('amount').focus();
});
$('replace').addEventListener('click', () => {
  state.replacing = true;
  state.current = null;
  state.setupErrors = [];
  state.notice = null;
  render();
  $('photo').focus();
});
$('forget').addEventListener('click', () => {
  if (!window.confirm(t(state.lang, 'forgetConfirm'))) return;
  store.forgetMerchant();
  state.merchant = null;
  state.current = null;
  state.notice = null;
  render();
  $('photo').focus();
});
const amount = $<HTMLInputElement>('amount');
amount.addEventListener('input', (e) => {
  // Once the cashier types or pastes a separator, the dots are theirs: stop regrouping (a "25.5"
  // must be refused as typed, not turned into "255") until the field is emptied.
  const data = (e as InputEvent).data ?? '';
  if (/[^\d]/.test(data)) state.ownDots = true;
  if (amount.value === '') state.ownDots = false;
  const formatted = state.ownDots ? amount.value : liveFormat(amount.value);
  if (formatted !== amount.value) amount.value = formatted;
  if (state.saleError) {
    state.saleError = null;
    renderSaleError();
  }
  renderFee();
});
for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-key]'))) {
  b.tabIndex = -1; // keyboard users type in the field; the keypad is for touch
  b.addEventListener('click', () => keypad(b.dataset['key']!));
}
$('fee-kind').addEventListener('change', renderFee);
$('fee-value').addEventListener('input', renderFee);
$('fee-off').addEventListener('click', () => {
  $<HTMLSelectElement>('fee-kind').value = 'none';
  $<HTMLInputElement>('fee-value').value = '';
  renderFee();
  amount.focus();
});
$('sale-form').addEventListener('submit', (e) => {
  e.preventDefault();
  onSale();
});
$('new-sale').addEventListener('click', () => newSale());
$('mark-paid').addEventListener('click', () => settleCurrent('paid'));
$('mark-cancelled').addEventListener('click', () => settleCurrent('cancelled'));
$('download').addEventListener('click', () => {
  const cur = state.current;
  if (!cur) return;
  void qrPng(cur.payment.payload).then((png) => download(`qris-${cur.payment.amount}-${stamp(cur.record.time)}.png`, png));
});
$('print').addEventListener('click', () => {
  fitPage();
  window.print();
});
window.addEventListener('beforeprint', fitPage);
$<HTMLSelectElement>('paper').addEventListener('change', (e) => setPaper((e.currentTarget as HTMLSelectElement).value === '80' ? '80' : '58'));
$('export').addEventListener('click', exportCsv);
for (const id of ['day-from', 'day-to']) {
  $(id).addEventListener('change', () => {
    const from = $<HTMLInputElement>('day-from').value;
    const to = $<HTMLInputElement>('day-to').value;
    if (/^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to)) state.range = from <= to ? { from, to } : { from: to, to: from };
    render();
  });
}
$('elsewhere-show').addEventListener('click', () => {
  const from = $('elsewhere-show').dataset['from'] ?? '';
  if (from !== '') state.range = { from, to: dayKey(new Date()) };
  render();
});
$('day-today').addEventListener('click', () => {
  state.range = null;
  render();
});
$('max-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const a = parseAmount($<HTMLInputElement>('max').value);
  state.maxError = !a.ok || a.text.includes('.') || toSen(a.text) === null;
  if (a.ok && !state.maxError) {
    store.setMaxPayment(a.text);
    state.notice = { key: 'maxSaved', vars: { max: formatRupiah(a.text) } };
  }
  render();
});
$<HTMLSelectElement>('sep').addEventListener('change', (e) => store.setSeparator((e.currentTarget as HTMLSelectElement).value === ',' ? ',' : ';'));
$('clear').addEventListener('click', () => {
  if (!window.confirm(t(state.lang, 'clearConfirm'))) return;
  store.clearSales();
  render();
});
document.addEventListener('keydown', (e) => {
  if (state.current === null || $('result').hidden) return;
  const target = e.target as HTMLElement | null;
  if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
  if (e.key === 'Escape') newSale();
  else if (/^\d$/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
    // Typing the next amount on the QR screen starts the next sale (this one stays waiting).
    e.preventDefault();
    newSale(e.key);
  }
});

setPaper(store.paper());
render();
if (state.merchant) amount.focus();
document.body.dataset['ready'] = 'true';

if (secure && 'serviceWorker' in navigator && location.protocol.startsWith('http')) {
  // Offline after the first load: sw.js keeps this page (one file) in the cache.
  navigator.serviceWorker.register('sw.js').catch(() => undefined);
}
