/**
 * The cashier page: wires the DOM of index.html to the set-up check (merchant.ts), the sale
 * (sale.ts), the QR adapter (qr.ts), the local store (store.ts) and the words (i18n.ts). All state
 * lives in one `state` object owned here; every change goes through `render()`.
 */
import { isQrisError } from '../index.js';
import { salesCsv } from './csv.js';
import { explain, isStringKey, t, type Lang } from './i18n.js';
import { checkStaticCode, type Merchant, type SetupIssue } from './merchant.js';
import { decodeFrame, decodeFromFile, drawQr, qrPng } from './qr.js';
import { formatRupiah, liveFormat } from './rupiah.js';
import { makeSale, type FeeKind, type Sale } from './sale.js';
import { PosStore, salesOfDay, type Paper } from './store.js';

/** An error as shown: a code (explained in plain words) and the library's own message. */
interface Shown {
  readonly code: string;
  readonly message: string;
}

interface State {
  lang: Lang;
  merchant: Merchant | null;
  /** True while a saved merchant's code is being replaced (set-up shown, with Cancel). */
  replacing: boolean;
  current: Sale | null;
  setupErrors: readonly Shown[];
  setupWarnings: readonly SetupIssue[];
  /** The refused sale's reason and the id of the field at fault. */
  saleError: (Shown & { readonly fieldId: string }) | null;
  notice: string;
  camera: MediaStream | null;
  /** The cashier typed a separator into the amount: its dots are theirs, not regrouped. */
  ownDots: boolean;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
};

const store = new PosStore(window.localStorage);
const state: State = {
  lang: store.lang(),
  merchant: null,
  replacing: false,
  current: null,
  setupErrors: [],
  setupWarnings: [],
  saleError: null,
  notice: '',
  camera: null,
  ownDots: false,
};

const loaded = store.loadMerchant();
if (loaded?.ok) state.merchant = loaded.value;
else if (loaded && !loaded.ok) state.setupErrors = [{ code: 'STORED', message: loaded.reason }];

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
  $('shop').setAttribute('aria-label', t(lang, 'merchant'));

  const settingUp = merchant === null || state.replacing;
  $('setup').hidden = !settingUp;
  $('setup-cancel').hidden = merchant === null;
  $('camera-start').hidden = state.camera !== null;
  $('camera').hidden = state.camera === null;
  // While the payer looks at the QR, nothing above it but the bar.
  $('shop').hidden = merchant === null || (state.current !== null && !settingUp);
  $('sale').hidden = merchant === null || settingUp || state.current !== null;
  $('result').hidden = merchant === null || settingUp || state.current === null;
  $('today').hidden = merchant === null || settingUp;

  const notice = $('notice');
  notice.hidden = state.notice === '';
  notice.textContent = state.notice;

  renderSetupErrors();
  if (merchant) {
    $('shop-name').textContent = merchant.merchantName || '-';
    $('shop-city').textContent = merchant.merchantCity || '-';
    $('shop-nmid').textContent = merchant.nmid || '-';
    $('shop-acquirer').textContent = merchant.acquirer || '-';
  }
  renderSaleError();
  renderFeeField();
  renderReceipt();
  renderList();
}

function renderSetupErrors(): void {
  const box = $('setup-error');
  box.replaceChildren();
  const { lang } = state;
  if (state.setupErrors.length > 0) {
    box.setAttribute('role', 'alert');
    for (const e of state.setupErrors) {
      if (e.code === 'STORED') box.append(para(t(lang, 'storedBad')));
      else box.append(para(explain(lang, e.code)));
      box.append(para(`${e.code === 'STORED' ? '' : e.code + ': '}${e.message}`, 'detail'));
    }
  } else if (state.setupWarnings.length > 0) {
    box.setAttribute('role', 'status');
    box.append(para(t(lang, 'warnings')));
    for (const w of state.setupWarnings) box.append(para(`${w.code}: ${w.message}`, 'detail'));
  }
  box.hidden = box.childElementCount === 0;
}

function renderSaleError(): void {
  const box = $('sale-error');
  const e = state.saleError;
  box.replaceChildren();
  box.hidden = e === null;
  for (const id of ['amount', 'bill', 'fee-kind', 'fee-value']) $(id).removeAttribute('aria-invalid');
  if (e === null) return;
  box.append(para(explain(state.lang, e.code)), para(`${e.code}: ${e.message}`, 'detail'));
  $(e.fieldId).setAttribute('aria-invalid', 'true');
}

function renderFeeField(): void {
  const kind = $<HTMLSelectElement>('fee-kind').value;
  $('fee-value-field').hidden = kind !== 'fixed' && kind !== 'percent';
}

function feeLine(sale: Sale): string {
  if (sale.fee === undefined) return '';
  return `${t(state.lang, 'fee')}: ${sale.fee === 'tip' ? t(state.lang, 'tipByPayer') : sale.fee.startsWith('Rp ') ? formatRupiah(sale.fee.slice(3)) : sale.fee}`;
}

function renderReceipt(): void {
  const sale = state.current;
  const m = state.merchant;
  if (!sale || !m) return;
  const amount = formatRupiah(sale.amount);
  $('receipt-merchant').textContent = m.merchantName;
  $('receipt-amount').textContent = amount;
  $('qr').setAttribute('aria-label', `QRIS ${amount}, ${m.merchantName}`);
  const extra = [sale.billNumber !== undefined ? `${t(state.lang, 'bill')}: ${sale.billNumber}` : '', feeLine(sale)].filter((s) => s !== '');
  $('receipt-extra').textContent = extra.join(' · ');
  $('receipt-meta').textContent = [timeText(sale.time), m.nmid ? `NMID ${m.nmid}` : ''].filter((s) => s !== '').join(' · ');
  $<HTMLSelectElement>('paper').value = store.paper();
}

function renderList(): void {
  if (!state.merchant) return;
  const today = salesOfDay(store.loadSales(), new Date()).reverse();
  const body = $('sales').querySelector('tbody')!;
  body.replaceChildren();
  let total = 0n;
  for (const s of today) {
    if (/^\d+$/.test(s.amount)) total += BigInt(s.amount);
    const tr = document.createElement('tr');
    const time = cell(timeText(s.time));
    const amount = cell(formatRupiah(s.amount), 'num');
    const bill = cell(s.billNumber ?? '');
    const actions = document.createElement('td');
    const copy = button(t(state.lang, 'copy'), 'copy secondary', () => void copyText(s.payload, copy));
    copy.setAttribute('aria-label', `${t(state.lang, 'copy')} ${timeText(s.time)} ${formatRupiah(s.amount)}`);
    copy.title = s.payload;
    copy.dataset['payload'] = s.payload;
    const show = button(t(state.lang, 'show'), 'show secondary', () => void showSale(s));
    show.setAttribute('aria-label', `${t(state.lang, 'show')} ${timeText(s.time)} ${formatRupiah(s.amount)}`);
    actions.append(copy, ' ', show);
    tr.append(time, amount, bill, actions);
    body.append(tr);
  }
  $('no-sales').hidden = today.length > 0;
  $('sales').hidden = today.length === 0;
  $('export').hidden = today.length === 0;
  $('today-total').textContent = today.length > 0 ? `${t(state.lang, 'total')}: ${formatRupiah(total.toString())} (${today.length})` : '';
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

function button(text: string, cls: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

function timeText(iso: string): string {
  return new Date(iso).toLocaleTimeString(state.lang === 'id' ? 'id-ID' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
}

// ---- Set-up --------------------------------------------------------------------------------------

function acceptPayload(text: string): boolean {
  const r = checkStaticCode(text, new Date());
  if (!r.ok) {
    state.setupErrors = r.issues.map((i) => ({ code: i.code, message: i.message }));
    state.setupWarnings = [];
    state.notice = '';
    render();
    return false;
  }
  store.saveMerchant(r.merchant);
  state.merchant = r.merchant;
  state.replacing = false;
  state.current = null;
  state.setupErrors = [];
  state.setupWarnings = r.warnings;
  // Set-up (where warnings are listed) closes now: name them in the notice.
  state.notice = t(state.lang, 'saved') + (r.warnings.length > 0 ? ' ' + t(state.lang, 'warnings') + ' ' + r.warnings.map((w) => w.code).join(', ') : '');
  $<HTMLTextAreaElement>('paste').value = '';
  render();
  $('amount').focus();
  return true;
}

function showImageError(e: unknown): void {
  if (!isQrisError(e)) throw e;
  state.setupErrors = [{ code: e.code, message: e.message }];
  state.notice = '';
  render();
}

async function onPhoto(input: HTMLInputElement): Promise<void> {
  const file = input.files?.[0];
  if (!file) return;
  state.notice = t(state.lang, 'reading');
  state.setupErrors = [];
  render();
  try {
    acceptPayload(await decodeFromFile(file));
  } catch (e) {
    showImageError(e);
  } finally {
    input.value = ''; // the same file can be chosen again after a fix
  }
}

async function startCamera(): Promise<void> {
  if (!navigator.mediaDevices?.getUserMedia) {
    state.setupErrors = [{ code: 'CAMERA_UNAVAILABLE', message: 'navigator.mediaDevices.getUserMedia is not available (it needs https or localhost).' }];
    render();
    return;
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch (e) {
    state.setupErrors = [{ code: 'CAMERA_UNAVAILABLE', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }];
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
      const text = await decodeFrame(video, video.videoWidth, video.videoHeight);
      if (text !== null && state.camera === stream) {
        stopCamera(); // one reading: a wrong code is explained once, not every frame
        acceptPayload(text);
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

function onSale(): void {
  const m = state.merchant;
  if (!m) return;
  const result = makeSale(
    m.payload,
    {
      amount: $<HTMLInputElement>('amount').value,
      billNumber: $<HTMLInputElement>('bill').value,
      feeKind: $<HTMLSelectElement>('fee-kind').value as FeeKind,
      feeValue: $<HTMLInputElement>('fee-value').value,
    },
    new Date(),
  );
  if (!result.ok) {
    const field = result.field === 'amount' ? 'amount' : result.field === 'billNumber' ? 'bill' : $('fee-value-field').hidden ? 'fee-kind' : 'fee-value';
    state.saleError = { code: result.code, message: result.message, fieldId: field };
    if (field !== 'amount') $<HTMLDetailsElement>('more').open = true;
    render();
    $(field).focus();
    return;
  }
  state.saleError = null;
  state.notice = '';
  try {
    if (store.addSale(result.sale) > 0) state.notice = t(state.lang, 'dropped');
  } catch {
    state.notice = t(state.lang, 'storageFull'); // quota: the QR is still shown, the list says why it lacks it
  }
  void showSale(result.sale);
}

async function showSale(sale: Sale): Promise<void> {
  await drawQr($<HTMLCanvasElement>('qr'), sale.payload);
  state.current = sale;
  render();
  $('result-h').focus();
}

function newSale(): void {
  state.current = null;
  state.saleError = null;
  $<HTMLInputElement>('amount').value = '';
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
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

async function copyText(text: string, from: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (http on a LAN address): select the text for a manual copy.
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
  $('page-size').textContent = `@page { size: ${paper}mm ${paper === '58' ? 160 : 200}mm; margin: 2mm; }`;
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
  acceptPayload($<HTMLTextAreaElement>('paste').value);
});
$('setup-cancel').addEventListener('click', () => {
  stopCamera();
  state.replacing = false;
  state.setupErrors = [];
  render();
  $('replace').focus();
});
$('replace').addEventListener('click', () => {
  state.replacing = true;
  state.setupErrors = [];
  state.setupWarnings = [];
  state.notice = '';
  render();
  $('photo').focus();
});
$('forget').addEventListener('click', () => {
  if (!window.confirm(t(state.lang, 'forgetConfirm'))) return;
  store.forgetMerchant();
  state.merchant = null;
  state.current = null;
  state.notice = '';
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
});
for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-key]'))) {
  b.tabIndex = -1; // keyboard users type in the field; the keypad is for touch
  b.addEventListener('click', () => keypad(b.dataset['key']!));
}
$('fee-kind').addEventListener('change', renderFeeField);
$('sale-form').addEventListener('submit', (e) => {
  e.preventDefault();
  onSale();
});
$('new-sale').addEventListener('click', newSale);
$('download').addEventListener('click', () => {
  const sale = state.current;
  if (!sale) return;
  void qrPng(sale.payload).then((png) => download(`qris-${sale.amount}-${stamp(sale.time)}.png`, png));
});
$('print').addEventListener('click', () => window.print());
$<HTMLSelectElement>('paper').addEventListener('change', (e) => setPaper((e.currentTarget as HTMLSelectElement).value === '80' ? '80' : '58'));
$('export').addEventListener('click', () => {
  const today = salesOfDay(store.loadSales(), new Date());
  download(`qris-sales-${stamp(new Date().toISOString()).slice(0, 10)}.csv`, new Blob([salesCsv(today)], { type: 'text/csv;charset=utf-8' }));
});
$('clear').addEventListener('click', () => {
  if (!window.confirm(t(state.lang, 'clearConfirm'))) return;
  store.clearSales();
  render();
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && state.current !== null && !$('result').hidden) newSale();
});

setPaper(store.paper());
render();
if (state.merchant) amount.focus();
document.body.dataset['ready'] = 'true';

if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  // Offline after the first load: sw.js keeps this page (one file) in the cache.
  navigator.serviceWorker.register('sw.js').catch(() => undefined);
}
