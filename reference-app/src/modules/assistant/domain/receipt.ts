import { cosine, embedText, type EmbedOptions } from './embedding.js';

/**
 * Receipt extraction: rule-based parsing of the text an OCR step would produce (merchant, date,
 * currency, item lines, total), then a category chosen by embedding similarity to short
 * category descriptions. The embedding step is where the configurable compute cost goes.
 */
export interface ReceiptFields {
  merchant: string | null;
  date: string | null;
  currency: string | null;
  totalCents: number | null;
  lines: Array<{ description: string; amountCents: number }>;
  category: string;
  categoryScore: number;
}

const CATEGORIES: ReadonlyArray<[string, string]> = [
  ['groceries', 'supermarket groceries milk bread eggs cheese fruit vegetables butter'],
  ['fuel', 'fuel station petrol diesel unleaded litres pump'],
  ['restaurant', 'restaurant cafe coffee espresso meal dinner lunch pizza burger tip'],
  ['electronics', 'electronics store phone laptop usb cable charger headphones battery'],
  ['transport', 'taxi train bus metro ticket fare parking ride'],
];

// An amount at the end of a line, with an optional currency symbol before it or a code/symbol after it.
const AMOUNT_AT_END = /(?:[€$£]\s?)?(-?\d{1,3}(?:[.,\s]\d{3})*[.,]\d{2}|-?\d+[.,]\d{2})\s*(?:[A-Z]{3}|[€$£])?\s*$/;
const TOTAL_LINE = /\b(total|amount due|to pay|balance due)\b/i;
const NOT_AN_ITEM = /\b(subtotal|sub-total|tax|vat|change|cash|card|visa|mastercard|tip)\b/i;

function toCents(amount: string): number {
  const negative = amount.trim().startsWith('-');
  const digits = amount.replace(/\D/g, '');
  const cents = Number.parseInt(digits, 10);
  return negative ? -cents : cents;
}

function findDate(text: string): string | null {
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  const dmy = /\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (y === undefined || m === undefined || d === undefined) return null;
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function findCurrency(text: string): string | null {
  const code = /\b(EUR|USD|GBP|CHF|JPY|SEK|NOK|DKK|PLN)\b/.exec(text);
  if (code) return code[1] ?? null;
  if (text.includes('€')) return 'EUR';
  if (text.includes('£')) return 'GBP';
  if (text.includes('$')) return 'USD';
  return null;
}

export function extractReceipt(text: string, options: EmbedOptions): ReceiptFields {
  const rows = text.split(/\r?\n/).map((r) => r.trim()).filter((r) => r !== '');
  let merchant: string | null = null;
  let totalCents: number | null = null;
  const lines: ReceiptFields['lines'] = [];
  for (const row of rows) {
    const amount = AMOUNT_AT_END.exec(row);
    if (!amount) {
      if (merchant === null && /\p{L}{2,}/u.test(row) && findDate(row) === null) merchant = row;
      continue;
    }
    const description = row.slice(0, amount.index).replace(/[\s:.-]+$/, '').trim();
    const cents = toCents(amount[1]!);
    if (TOTAL_LINE.test(description) && !/sub-?total/i.test(description)) totalCents = cents;
    else if (!NOT_AN_ITEM.test(description) && description !== '') lines.push({ description, amountCents: cents });
  }
  if (totalCents === null && lines.length > 0) totalCents = lines.reduce((sum, l) => sum + l.amountCents, 0);

  const receiptVector = embedText(text, options);
  let category = 'other';
  let categoryScore = -1;
  for (const [name, description] of CATEGORIES) {
    const score = cosine(receiptVector, embedText(description, options));
    if (score > categoryScore) [category, categoryScore] = [name, score];
  }
  return { merchant, date: findDate(text), currency: findCurrency(text), totalCents, lines, category, categoryScore };
}
