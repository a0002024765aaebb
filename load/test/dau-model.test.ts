import { describe, expect, it } from 'vitest';
import { dauCapacity, meanRate, requiredRate, requestsPerDau } from '../runner/dau-model.js';

const model = { projectedDau: 10_000, sessionsPerUserPerDay: 2, requestsPerSession: 20, peakToMean: 3.3, safetyFactor: 2 };

describe('DAU model', () => {
  it('turns DAU into a rate with the stated assumptions', () => {
    expect(requestsPerDau(model)).toBe(40);
    // 10,000 users x 40 requests / 86,400 s = 4.63 req/s on average.
    expect(meanRate(10_000, model)).toBeCloseTo(4.6296, 3);
    // x 3.3 peak x 2 safety = 30.56 req/s to sustain.
    expect(requiredRate(10_000, model)).toBeCloseTo(30.556, 2);
  });

  it('states capacity as the inverse: the DAU whose peak with headroom fits the sustainable rate', () => {
    expect(dauCapacity(requiredRate(10_000, model), model)).toBeGreaterThanOrEqual(9_999);
    expect(dauCapacity(requiredRate(10_000, model), model)).toBeLessThanOrEqual(10_000);
    // 1,000 req/s x 86,400 / (40 x 3.3 x 2) = 327,272 users.
    expect(dauCapacity(1_000, model)).toBe(327_272);
  });

  it('moves with each assumption the way the formula says', () => {
    expect(dauCapacity(1_000, { ...model, safetyFactor: 1 })).toBe(654_545);
    expect(dauCapacity(1_000, { ...model, peakToMean: 1.7 })).toBeGreaterThan(dauCapacity(1_000, model));
    expect(dauCapacity(1_000, { ...model, requestsPerSession: 40 })).toBe(163_636);
    expect(dauCapacity(0, model)).toBe(0);
  });
});
