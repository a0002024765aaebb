import { describe, expect, it } from 'vitest';
import { parseReceipt, runEmbed } from '../../services/models/engine/index.js';
import { cosine } from '../../src/modules/assistant/domain/similarity.js';

/** OCR lines as the engine hands them to the field rules, each with one confidence. */
const read = (rows: string[], confidence = 1) =>
  parseReceipt(
    rows.map((text) => ({ text, confidence })),
    { dimensions: 64, cost: 1 },
  );

describe('models engine: embedding kernel and receipt field rules', () => {
  it('is deterministic and returns unit vectors of the asked size', () => {
    const a = runEmbed({ texts: ['mountain bike, 29 inch wheels'], dimensions: 48, cost: 4 });
    const b = runEmbed({ texts: ['mountain bike, 29 inch wheels'], dimensions: 48, cost: 4 });
    expect(a).toEqual(b);
    const v = a.vectors[0]!;
    expect(v).toHaveLength(48);
    expect(Math.sqrt(v.reduce((s, x) => s + x * x, 0))).toBeCloseTo(1, 10);
  });

  it('puts texts that share words and n-grams closer than unrelated ones', () => {
    const [bike, bikes, receipt] = runEmbed({
      texts: ['red bicycle for sale', 'red bicycles for sale', 'tax receipt from the supermarket'],
      cost: 2,
    }).vectors;
    expect(cosine(bike!, bikes!)).toBeGreaterThan(0.7);
    expect(cosine(bike!, receipt!)).toBeLessThan(0.3);
  });

  it('each cost round is another projection, so the cost changes the numbers but not the neighbourhood', () => {
    const one = runEmbed({ texts: ['walnut desk', 'walnut desks'], cost: 1 }).vectors;
    const many = runEmbed({ texts: ['walnut desk', 'walnut desks'], cost: 20 }).vectors;
    expect(one[0]).not.toEqual(many[0]);
    expect(cosine(many[0]!, many[1]!)).toBeGreaterThan(0.7);
  });

  it('reads receipt lines: merchant, day-first date, symbol currency, items, and sums lines when there is no total', () => {
    const result = read(['Corner Café', '03/02/2026', 'Flat white  £3.20', 'Croissant  £2.10', 'Thank you!']);
    expect(result).toMatchObject({
      merchant: { value: 'Corner Café' },
      date: { value: '2026-02-03' },
      currency: { value: 'GBP' },
      total: { value: 530, confidence: 0.4 },
      lines: [
        { description: 'Flat white', amountCents: 320 },
        { description: 'Croissant', amountCents: 210 },
      ],
      category: { value: 'restaurant' },
    });
    // 03/02 on a pound receipt is read day-first, but the rule says it is not sure.
    expect(result.date.confidence).toBeLessThan(0.7);
  });

  it('reads thousands separators, keeps tax and payment lines out of the items, and trusts a total that adds up', () => {
    const result = read([
      'MEGA ELECTRONICS', '2026-10-01', 'Laptop 14 inch  1,299.00', 'USB-C charger  29.99', 'Subtotal 1,328.99', 'VAT 0.00',
      'Total 1,328.99 USD', 'Visa 1,328.99',
    ]);
    expect(result.total).toEqual({ value: 132899, confidence: 1 });
    expect(result.currency.value).toBe('USD');
    expect(result.lines.map((l) => l.description)).toEqual(['Laptop 14 inch', 'USB-C charger']);
    expect(result.category.value).toBe('electronics');
  });

  it('reads every date format the benchmark prints, month-first slashes only on dollar receipts', () => {
    const date = (row: string, money = 'TOTAL EUR 1.00') => read(['SHOP', row, money]).date.value;
    expect(date('Date: 2026-03-04')).toBe('2026-03-04');
    expect(date('Date: 04.03.2026')).toBe('2026-03-04');
    expect(date('Date: 04/03/2026')).toBe('2026-03-04');
    expect(date('Date: 03/04/2026', 'TOTAL USD $1.00')).toBe('2026-03-04');
    expect(date('Date: 4 Mar 2026')).toBe('2026-03-04');
    expect(date('Date: Mar 4, 2026')).toBe('2026-03-04');
    expect(date('Date: 31.02.2026')).toBeNull(); // no such day: not a date, not a guess
  });

  it('comma decimals, digits misread as letters, and a total that does not add up lowers its confidence', () => {
    const result = read(['FRESHMART', 'Bread  2,5O', 'Milk  1,29', 'TOTAL EUR 9,99'], 0.9);
    expect(result.lines.map((l) => l.amountCents)).toEqual([250, 129]);
    expect(result.total.value).toBe(999);
    expect(result.total.confidence).toBeCloseTo(0.9 * 0.6, 3);
  });

  it('returns nulls with zero confidence rather than guesses when the text has no receipt fields', () => {
    const result = read(['just some words']);
    expect(result).toMatchObject({
      date: { value: null, confidence: 0 },
      currency: { value: null, confidence: 0 },
      total: { value: null, confidence: 0 },
      lines: [],
    });
  });
});
