/**
 * `npm run bench:ocr [-- --count 200 --seed 13 --preprocess none,grayscale --workers 1,2]`
 *
 * Accuracy and latency of the models engine on a fixed seeded set of generated receipts (see
 * ocr-receipts.ts), printed side by side in one run:
 *   - per preprocessing variant: character error rate, field accuracy (total, date, merchant,
 *     currency), p50 / p99 latency per receipt (one worker, sequential);
 *   - the cold first request (fresh worker: trained data load + first recognition) beside a warm one;
 *   - throughput per worker count (all receipts of a subset submitted at once), measured first.
 * `--quick` runs 24 receipts. The load average is printed before and after: this machine is shared.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { distance } from 'fastest-levenshtein';
import { createReceiptScanner, DEFAULT_PREPROCESS, describePreprocess, parsePreprocess, type PreprocessOptions } from '../services/models/engine/index.js';
import type { ScanReceiptResponse } from '../src/shared/services/index.js';
import { generateReceipt, type GeneratedReceipt } from './ocr-receipts.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string' },
    seed: { type: 'string', default: '13' },
    quick: { type: 'boolean', default: false },
    preprocess: { type: 'string', default: 'none,grayscale,grayscale+threshold,grayscale+deskew' },
    workers: { type: 'string', default: '1,2' },
    'throughput-count': { type: 'string' },
    'show-misses': { type: 'boolean', default: false },
  },
});

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`bench:ocr: --${name} must be a positive integer, got "${text}"\n`);
    process.exit(2);
  }
  return n;
}

const count = positive('count', values.count ?? (values.quick ? '24' : '200'));
const seed = positive('seed', values.seed!);
const workerCounts = values.workers!.split(',').map((w) => positive('workers', w));
let variants: PreprocessOptions[];
try {
  variants = values.preprocess!.split(',').map(parsePreprocess);
} catch (error) {
  process.stderr.write(`bench:ocr: --preprocess: ${(error as Error).message}\n`);
  process.exit(2);
}
const throughputCount = Math.min(count, positive('throughput-count', values['throughput-count'] ?? '24'));

const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
// Rule lines (-----) carry no information and tesseract drops them; the CER counts text only.
const normalise = (text: string) =>
  text
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '' && !/^[-=_.\s]+$/.test(l))
    .join('\n');
const sameText = (a: string | null, b: string) => a !== null && a.replace(/\s+/g, ' ').trim().toLowerCase() === b.toLowerCase();
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

process.stdout.write(
  `bench:ocr: ${count} receipts, seed ${seed}, Node ${process.version}, ${cpus().length} cores, load average at start ${load()} (1/5/15 min)\n`,
);
const receipts: GeneratedReceipt[] = [];
for (let id = 0; id < count; id += 1) receipts.push(await generateReceipt(seed, id));
const noisy = receipts.filter((r) => r.noise.rotationDegrees !== 0 || r.noise.blurSigma > 0 || r.noise.jpegQuality !== null || r.noise.lowContrast).length;
process.stdout.write(`generated: ${noisy} of ${count} with noise (rotation, blur, JPEG, low contrast)\n\n`);

// Cold first request: a fresh worker pays the trained-data load and the first recognition.
{
  const t0 = performance.now();
  const scanner = createReceiptScanner({ workers: 1, preprocess: variants[0]! });
  await scanner.start();
  const t1 = performance.now();
  await scanner.scan(receipts[0]!.image);
  const t2 = performance.now();
  await scanner.scan(receipts[0]!.image);
  const t3 = performance.now();
  await scanner.close();
  process.stdout.write(
    `cold first request: worker start ${(t1 - t0).toFixed(0)} ms + first scan ${(t2 - t1).toFixed(0)} ms = ${(t2 - t0).toFixed(0)} ms; ` +
      `the same receipt warm: ${(t3 - t2).toFixed(0)} ms (load ${load()})\n\n`,
  );
}

const throughput: string[] = [];
for (const workers of workerCounts) {
  const scanner = createReceiptScanner({ workers, preprocess: parsePreprocess(DEFAULT_PREPROCESS), maxQueue: 10_000 });
  await scanner.start();
  const subset = receipts.slice(0, throughputCount);
  const started = performance.now();
  await Promise.all(subset.map((r) => scanner.scan(r.image)));
  const seconds = (performance.now() - started) / 1000;
  await scanner.close();
  throughput.push(`| ${workers} | ${subset.length} | ${seconds.toFixed(1)} | ${(subset.length / seconds).toFixed(2)} | ${load()} |`);
}
process.stdout.write(
  `throughput per worker count (${DEFAULT_PREPROCESS}, the service default; all receipts submitted at once)\n\n` +
    `| workers | receipts | seconds | receipts/s | load avg after |\n| --- | --- | --- | --- | --- |\n${throughput.join('\n')}\n\n` +
    '',
);

interface Row {
  variant: string;
  cer: number;
  total: number;
  date: number;
  merchant: number;
  currency: number;
  category: number;
  p50: number;
  p99: number;
  load: string;
}
const rows: Row[] = [];
process.stdout.write(
  `accuracy and latency per preprocessing variant (1 worker, sequential, ${count} receipts)\n\n` +
    `| preprocessing | CER % | total % | date % | merchant % | currency % | category % | p50 ms | p99 ms | load avg after |\n` +
    `| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n`,
);
for (const preprocess of variants) {
  const scanner = createReceiptScanner({ workers: 1, preprocess });
  await scanner.start();
  let edits = 0;
  let chars = 0;
  const hits = { total: 0, date: 0, merchant: 0, currency: 0, category: 0 };
  const ms: number[] = [];
  for (const r of receipts) {
    const started = performance.now();
    const result: ScanReceiptResponse = await scanner.scan(r.image);
    ms.push(performance.now() - started);
    const truth = normalise(r.truth.text);
    edits += distance(normalise(result.text), truth);
    chars += truth.length;
    if (result.total.value === r.truth.totalCents) hits.total += 1;
    if (result.date.value === r.truth.date) hits.date += 1;
    if (sameText(result.merchant.value, r.truth.merchant)) hits.merchant += 1;
    if (result.currency.value === r.truth.currency) hits.currency += 1;
    if (result.category.value === r.truth.category) hits.category += 1;
    if (values['show-misses'] && (result.total.value !== r.truth.totalCents || result.date.value !== r.truth.date)) {
      process.stderr.write(
        `  miss #${r.id} ${JSON.stringify(r.noise)} total ${result.total.value} vs ${r.truth.totalCents}, ` +
          `date ${result.date.value} vs ${r.truth.date} (${r.truth.dateFormat})\n${result.text}\n`,
      );
    }
  }
  await scanner.close();
  ms.sort((a, b) => a - b);
  const pct = (n: number) => (100 * n) / receipts.length;
  rows.push({
    variant: describePreprocess(preprocess),
    cer: (100 * edits) / chars,
    total: pct(hits.total),
    date: pct(hits.date),
    merchant: pct(hits.merchant),
    currency: pct(hits.currency),
    category: pct(hits.category),
    p50: percentile(ms, 0.5),
    p99: percentile(ms, 0.99),
    load: load(),
  });
  // One row as soon as its variant is done: a long run on a busy machine keeps what it measured.
  const r = rows[rows.length - 1]!;
  process.stdout.write(
    `| ${r.variant} | ${r.cer.toFixed(2)} | ${r.total.toFixed(1)} | ${r.date.toFixed(1)} | ${r.merchant.toFixed(1)} | ` +
      `${r.currency.toFixed(1)} | ${r.category.toFixed(1)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.load} |\n`,
  );
}
process.stdout.write(`\nload average at end ${load()}\n`);

