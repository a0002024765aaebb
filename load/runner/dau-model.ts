import type { DauModel } from '../scenarios/schema.js';

/** Requests one daily active user makes in a day. */
export function requestsPerDau(m: DauModel): number {
  return m.sessionsPerUserPerDay * m.requestsPerSession;
}

/** The mean request rate a DAU figure implies, before peaks and headroom. */
export function meanRate(dau: number, m: DauModel): number {
  return (dau * requestsPerDau(m)) / 86_400;
}

/** The rate the busiest hour brings, with the safety headroom on top: what the app must sustain. */
export function requiredRate(dau: number, m: DauModel): number {
  return meanRate(dau, m) * m.peakToMean * m.safetyFactor;
}

/**
 * DAU_capacity = sustainable rate x 86,400 / (requests per DAU x peak-to-mean x safety):
 * the inverse of requiredRate, i.e. the most users whose peak (with headroom) still fits.
 */
export function dauCapacity(sustainableRate: number, m: DauModel): number {
  return Math.floor((sustainableRate * 86_400) / (requestsPerDau(m) * m.peakToMean * m.safetyFactor));
}
