import { cosine, embedText, type EmbedOptions } from './embedding.js';
import type { OcrLine } from './ocr-pool.js';

/**
 * Rule-based receipt parsing over OCR lines. It lives with the engine (ADR-0011): every
 * confidence it reports starts from the engine's per-line confidence, and the rules are tuned
 * against the engine's typical misreadings, so parser and engine change together.
 *
 * Confidence of a field = the confidence of the line it came from x how sure the rule is
 * (e.g. an unambiguous ISO date 1.0, a 03/04/2026 read by currency convention 0.6, a total
 * that equals the sum of the items 1.0, one that does not 0.6, a total inferred by summing 0.4).
 */
export interface Field<T> {
  value: T | null;
  confidence: number;
}

export interface ReceiptLineItem {
  description: string;
  amountCents: number;
  confidence: number;
}

export interface ReceiptFields {
  merchant: Field<string>;
  date: Field<string>;
  currency: Field<string>;
  total: Field<number>;
  lines: ReceiptLineItem[];
  category: Field<string>;
}

const CATEGORIES: ReadonlyArray<[string, string]> = [
  ['groceries', 'supermarket market groceries milk bread eggs cheese fruit vegetables butter apples bananas yogurt rice pasta oil juice tomatoes carrots spinach chicken'],
  ['fuel', 'fuel station petrol diesel unleaded 95 litres pump car wash windscreen fluid gas'],
  ['restaurant', 'restaurant cafe coffee espresso cappuccino croissant meal pizza burger cheeseburger fries milkshake cola onion rings pasta carbonara salad tiramisu water'],
  ['electronics', 'electronics store phone laptop usb cable charger headphones batteries hdmi adapter wireless mouse'],
  ['transport', 'taxi train bus metro rail ticket fare single ride day ticket parking airport surcharge waiting time'],
];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const CODES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'SEK', 'NOK', 'DKK', 'PLN'];
const SYMBOLS: Record<string, string> = { '€': 'EUR', '£': 'GBP', $: 'USD' };

// An amount at the end of a line: 1,234.56 / 1.234,56 / 12.50 / 12,50, an optional symbol or code around it.
const AMOUNT_AT_END = /(?:[€$£]\s?)?(-?\d{1,3}(?:[.,' ]\d{3})*[.,]\s?\d{2}|-?\d+[.,]\s?\d{2})\s*(?:[A-Z]{3}|[€$£])?\s*$/;
const TOTAL_LINE = /\b(total|amount due|to pay|balance due|grand total)\b/i;
const NOT_AN_ITEM = /\b(sub-?total|tax|vat|change|cash|card|visa|mastercard|tip|tendered|date|time)\b/i;

/** OCR reads digits as look-alike letters; inside an amount-shaped token they can only be digits. */
function repairDigits(row: string): string {
  return row.replace(/(?<=[\d.,])[Oo](?=[\d.,\s]|$)|(?<=\s|^)[Oo](?=[.,]\d)/g, '0').replace(/(?<=\d[.,]?)[lI|](?=\d|$)/g, '1');
}

function toCents(amount: string): number {
  const digits = amount.replace(/\D/g, '');
  const cents = Number.parseInt(digits, 10);
  return amount.trim().startsWith('-') ? -cents : cents;
}

function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || y < 1990 || y > 2100) return null;
  if (new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) return null; // 31.02 is no day
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A date on one line and how sure the rule is: named months and ISO are certain, d/m vs m/d is not. */
function dateIn(row: string, currency: string | null): { value: string; certainty: number } | null {
  const iso = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/.exec(row);
  if (iso) {
    const value = isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    if (value) return { value, certainty: 1 };
  }
  const named = /\b(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\b/.exec(row) ?? null;
  if (named) {
    const value = isoDate(Number(named[3]), MONTHS.indexOf(named[2]!.toLowerCase()) + 1, Number(named[1]));
    if (value) return { value, certainty: 1 };
  }
  const us = /\b([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b/.exec(row);
  if (us) {
    const value = isoDate(Number(us[3]), MONTHS.indexOf(us[1]!.toLowerCase()) + 1, Number(us[2]));
    if (value) return { value, certainty: 1 };
  }
  const numeric = /\b(\d{1,2})([./-])(\d{1,2})\2(\d{4})\b/.exec(row);
  if (numeric) {
    const [a, sep, b, y] = [Number(numeric[1]), numeric[2], Number(numeric[3]), Number(numeric[4])];
    // Dots are day-first everywhere; slashes are month-first on dollar receipts, day-first elsewhere.
    const monthFirst = sep === '/' && currency === 'USD';
    const value = monthFirst ? isoDate(y, a, b) : isoDate(y, b, a);
    if (!value) return null;
    const ambiguous = sep === '/' && a <= 12 && b <= 12 && a !== b;
    return { value, certainty: ambiguous ? 0.6 : 0.9 };
  }
  return null;
}

function currencyIn(rows: readonly OcrLine[]): Field<string> {
  for (const row of rows) {
    const code = new RegExp(`\\b(${CODES.join('|')})\\b`).exec(row.text);
    if (code) return { value: code[1]!, confidence: row.confidence };
  }
  for (const row of rows) {
    for (const [symbol, code] of Object.entries(SYMBOLS)) {
      // A symbol alone is weaker evidence: OCR turns stray marks into "$" more often than into "EUR".
      if (row.text.includes(symbol)) return { value: code, confidence: row.confidence * 0.8 };
    }
  }
  return { value: null, confidence: 0 };
}

function round(n: number): number {
  return Math.round(Math.max(0, Math.min(1, n)) * 1000) / 1000;
}

const words = (text: string) => text.toLowerCase().split(/[^\p{L}]+/u).filter((w) => w.length >= 3);

/**
 * The category: shared words with each category's vocabulary first (exact evidence), then
 * embedding similarity (n-gram evidence, which also catches plurals and misreadings). The
 * confidence is the winner's margin over the runner-up.
 */
function categorise(text: string, options: EmbedOptions): Field<string> {
  if (text.trim() === '') return { value: null, confidence: 0 };
  const receiptWords = words(text);
  const receipt = embedText(text, options);
  const scores = CATEGORIES.map(([name, description]) => {
    const vocabulary = new Set(words(description));
    const overlap = receiptWords.length === 0 ? 0 : receiptWords.filter((w) => vocabulary.has(w)).length / receiptWords.length;
    return { name, score: overlap + cosine(receipt, embedText(description, options)) };
  }).sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  if (!best || best.score <= 0) return { value: 'other', confidence: 0 };
  return { value: best.name, confidence: round(0.5 + (best.score - (second?.score ?? 0))) };
}

export function parseReceipt(ocrLines: readonly OcrLine[], options: EmbedOptions): ReceiptFields {
  const rows = ocrLines.map((l) => ({ text: repairDigits(l.text.trim()), confidence: l.confidence })).filter((l) => l.text !== '');
  const currency = currencyIn(rows);
  let merchant: Field<string> = { value: null, confidence: 0 };
  let date: Field<string> = { value: null, confidence: 0 };
  let total: Field<number> = { value: null, confidence: 0 };
  const lines: ReceiptLineItem[] = [];
  for (const [index, row] of rows.entries()) {
    const found = date.value === null ? dateIn(row.text, currency.value) : null;
    if (found) date = { value: found.value, confidence: round(row.confidence * found.certainty) };
    const amount = AMOUNT_AT_END.exec(row.text);
    if (!amount) {
      if (merchant.value === null && !found && /\p{L}{3,}/u.test(row.text)) {
        // The merchant is the first wordy line; the further down it is, the less it looks like a header.
        merchant = { value: row.text.replace(/\s+/g, ' '), confidence: round(row.confidence * (index === 0 ? 0.95 : 0.6)) };
      }
      continue;
    }
    const description = row.text.slice(0, amount.index).replace(/[\s:.*-]+$/, '').replace(/\s+/g, ' ').trim();
    const cents = toCents(amount[1]!);
    if (TOTAL_LINE.test(description) && !/sub-?total/i.test(description)) {
      if (total.value === null) total = { value: cents, confidence: row.confidence };
    } else if (!NOT_AN_ITEM.test(description) && /\p{L}/u.test(description) && total.value === null) {
      lines.push({ description, amountCents: cents, confidence: round(row.confidence) });
    }
  }
  const sum = lines.reduce((s, l) => s + l.amountCents, 0);
  if (total.value === null && lines.length > 0) total = { value: sum, confidence: 0.4 };
  else if (total.value !== null) total = { value: total.value, confidence: round(total.confidence * (total.value === sum ? 1 : 0.6)) };
  // The category reads what was bought and where, not the address or payment lines.
  const category = categorise([merchant.value ?? '', ...lines.map((l) => l.description)].join('\n'), options);
  return { merchant, date, currency: { value: currency.value, confidence: round(currency.confidence) }, total, lines, category };
}
