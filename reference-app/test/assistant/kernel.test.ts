import { describe, expect, it } from 'vitest';
import { cosine } from '../../src/modules/assistant/domain/embedding.js';
import { runEmbed, runExtract } from '../../src/modules/assistant/domain/tasks.js';

describe('assistant compute kernel', () => {
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

  it('reads a receipt: merchant, day-first date, symbol currency, items, and sums lines when there is no total', () => {
    const result = runExtract({ text: 'Corner Café\n03/02/2026\nFlat white  £3.20\nCroissant  £2.10\nThank you!' });
    expect(result).toMatchObject({
      merchant: 'Corner Café',
      date: '2026-02-03',
      currency: 'GBP',
      totalCents: 530,
      lines: [
        { description: 'Flat white', amountCents: 320 },
        { description: 'Croissant', amountCents: 210 },
      ],
      category: 'restaurant',
    });
  });

  it('reads thousands separators and keeps tax and payment lines out of the items', () => {
    const result = runExtract({
      text: 'MEGA ELECTRONICS\n2026-10-01\nLaptop 14 inch  1,299.00\nUSB-C charger  29.99\nSubtotal 1,328.99\nVAT 0.00\nTotal 1,328.99 USD\nVisa 1,328.99',
    });
    expect(result.totalCents).toBe(132899);
    expect(result.currency).toBe('USD');
    expect(result.lines.map((l) => l.description)).toEqual(['Laptop 14 inch', 'USB-C charger']);
    expect(result.category).toBe('electronics');
  });

  it('returns nulls rather than guesses when the text has no receipt fields', () => {
    const result = runExtract({ text: 'just some words' });
    expect(result).toMatchObject({ date: null, currency: null, totalCents: null, lines: [] });
  });
});
