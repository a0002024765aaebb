/**
 * Cosine similarity of two unit vectors (the embedding kernel's output is always normalised).
 * The search ranks vectors it received from the compute; the arithmetic of producing them
 * lives with the models engine (services/models/engine).
 */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) dot += a[i]! * b[i]!;
  return dot;
}
