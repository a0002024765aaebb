/**
 * The compute kernel behind the assistant's embeddings. It is not a trained model (see
 * docs/extracting-a-service.md for why none ships here): it is feature hashing plus random
 * projection, a real and well-understood way to turn text into vectors whose cosine similarity
 * tracks shared character n-grams and words (Johnson-Lindenstrauss). Pure arithmetic, no I/O,
 * fully deterministic, so inline, worker-pool and remote execution give identical numbers.
 *
 * Cost: each round projects every feature through a fresh seeded random matrix column
 * (generated on the fly, so memory stays flat) and the rounds are summed, an ensemble of
 * projections. CPU time grows linearly with `cost` and with the text's length.
 */
export const EMBEDDING_MODEL = 'archfit-ngram-projection-v1';

export interface EmbedOptions {
  dimensions: number;
  cost: number;
}

/** FNV-1a, 32 bit: a cheap, stable hash so a feature id never depends on the run or the thread. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a tiny seeded PRNG; the same seed yields the same matrix column everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Character 2..4-grams of the padded text plus whole words, with sublinear term weights. */
export function features(text: string): Map<number, number> {
  const normal = ` ${text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()} `;
  const counts = new Map<number, number>();
  const add = (feature: string) => {
    const id = fnv1a(feature);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  };
  for (let n = 2; n <= 4; n += 1) {
    for (let i = 0; i + n <= normal.length; i += 1) add(`${n}:${normal.slice(i, i + n)}`);
  }
  for (const word of normal.split(/[^\p{L}\p{N}]+/u)) if (word !== '') add(`w:${word}`);
  for (const [id, count] of counts) counts.set(id, 1 + Math.log(count));
  return counts;
}

export function embedText(text: string, { dimensions, cost }: EmbedOptions): number[] {
  const weights = features(text);
  const vector = new Float64Array(dimensions);
  for (let round = 0; round < cost; round += 1) {
    const roundSalt = Math.imul(round + 1, 0x9e3779b9);
    for (const [id, weight] of weights) {
      const next = mulberry32(id ^ roundSalt);
      for (let d = 0; d < dimensions; d += 1) vector[d]! += weight * (next() * 2 - 1);
    }
  }
  let norm = 0;
  for (let d = 0; d < dimensions; d += 1) norm += vector[d]! * vector[d]!;
  norm = Math.sqrt(norm);
  return Array.from(vector, (v) => (norm === 0 ? 0 : v / norm));
}

/** Cosine similarity of two unit vectors (the kernel's output is always normalised). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) dot += a[i]! * b[i]!;
  return dot;
}
