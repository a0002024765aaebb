/**
 * A seeded generator of receipt images with known ground truth, for `npm run bench:ocr` and the
 * end-to-end tests. Same seed, same receipts, byte for byte: the benchmark's accuracy figures
 * are comparable between runs and machines. Rendering is SVG -> sharp (librsvg) with DejaVu
 * Sans Mono (Debian's fonts-dejavu-core); noise is applied with sharp too.
 */
import sharp from 'sharp';
import { mulberry32 } from '../services/models/engine/embedding.js';

export interface ReceiptTruth {
  merchant: string;
  /** ISO 8601. */
  date: string;
  /** How the date was printed. */
  dateFormat: string;
  currency: string;
  totalCents: number;
  lines: Array<{ description: string; amountCents: number }>;
  category: string;
  /** Every printed line, top to bottom: the reference for the character error rate. */
  text: string;
}

export interface ReceiptNoise {
  rotationDegrees: number;
  blurSigma: number;
  jpegQuality: number | null;
  lowContrast: boolean;
}

export interface GeneratedReceipt {
  id: number;
  image: Buffer;
  mime: 'image/png' | 'image/jpeg';
  truth: ReceiptTruth;
  noise: ReceiptNoise;
}

/** The engine's seeded PRNG (mulberry32): small, and identical on every platform. */
export const seededRandom = mulberry32;

const MERCHANTS: ReadonlyArray<{ name: string; category: string; items: ReadonlyArray<[string, number, number]> }> = [
  { name: 'GREEN LEAF MARKET', category: 'groceries', items: [['Milk 1L', 89, 189], ['Sourdough bread', 250, 480], ['Eggs x10', 199, 399], ['Bananas 1kg', 119, 249], ['Cheddar cheese', 299, 649], ['Greek yogurt', 149, 329], ['Apples 1kg', 199, 349], ['Butter 250g', 189, 299], ['Tomatoes', 129, 299], ['Orange juice', 199, 399]] },
  { name: 'FreshMart Supermarket', category: 'groceries', items: [['Pasta 500g', 99, 229], ['Rice 1kg', 149, 299], ['Olive oil', 499, 999], ['Coffee beans', 599, 1299], ['Chicken breast', 599, 1199], ['Carrots', 79, 179], ['Spinach', 149, 279]] },
  { name: 'Shell Station 24', category: 'fuel', items: [['Unleaded 95', 3500, 9000], ['Diesel', 4000, 11000], ['Car wash', 800, 1500], ['Windscreen fluid', 399, 799], ['Chewing gum', 99, 199]] },
  { name: 'Cafe Milano', category: 'restaurant', items: [['Espresso', 180, 280], ['Cappuccino', 290, 420], ['Croissant', 190, 320], ['Pizza Margherita', 850, 1390], ['Pasta Carbonara', 1090, 1590], ['Tiramisu', 550, 790], ['Sparkling water', 250, 450], ['House salad', 690, 990]] },
  { name: 'The Burger Joint', category: 'restaurant', items: [['Classic burger', 890, 1290], ['Cheeseburger', 990, 1390], ['Fries', 290, 490], ['Milkshake', 390, 590], ['Onion rings', 350, 550], ['Cola', 220, 350]] },
  { name: 'TechCorner Electronics', category: 'electronics', items: [['USB-C cable', 999, 1999], ['Phone charger', 1499, 2999], ['Headphones', 2999, 14999], ['AA batteries x8', 599, 1199], ['Wireless mouse', 1499, 3999], ['HDMI adapter', 999, 2499]] },
  { name: 'City Taxi Co', category: 'transport', items: [['Taxi fare', 1200, 4500], ['Airport surcharge', 300, 800], ['Waiting time', 200, 900]] },
  { name: 'Metro Rail Tickets', category: 'transport', items: [['Day ticket', 700, 1200], ['Single ride', 250, 450], ['Parking', 400, 1500], ['Bike ticket', 200, 500]] },
];

const CURRENCIES: ReadonlyArray<{ code: string; symbol: string | null; comma: boolean }> = [
  { code: 'EUR', symbol: '€', comma: false },
  { code: 'EUR', symbol: null, comma: true },
  { code: 'USD', symbol: '$', comma: false },
  { code: 'GBP', symbol: '£', comma: false },
  { code: 'CHF', symbol: null, comma: false },
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function formatDate(y: number, m: number, d: number, format: string): string {
  const dd = String(d).padStart(2, '0');
  const mm = String(m).padStart(2, '0');
  switch (format) {
    case 'iso':
      return `${y}-${mm}-${dd}`;
    case 'dmy-dot':
      return `${dd}.${mm}.${y}`;
    case 'dmy-slash':
      return `${dd}/${mm}/${y}`;
    case 'mdy-slash':
      return `${mm}/${dd}/${y}`;
    case 'd-mon-y':
      return `${d} ${MONTHS[m - 1]} ${y}`;
    default:
      return `${MONTHS[m - 1]} ${d}, ${y}`;
  }
}

function formatAmount(cents: number, comma: boolean): string {
  const whole = Math.floor(cents / 100);
  const frac = String(cents % 100).padStart(2, '0');
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, comma ? '.' : ',');
  return `${grouped}${comma ? ',' : '.'}${frac}`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The printed rows: [left text, right text or null], plus the font size of each row. */
function layout(truth: Omit<ReceiptTruth, 'text'>, c: (typeof CURRENCIES)[number], dateText: string, rnd: () => number) {
  const money = (cents: number) => (c.symbol ? `${c.symbol}${formatAmount(cents, c.comma)}` : formatAmount(cents, c.comma));
  const rows: Array<{ left: string; right: string | null; big?: boolean }> = [
    { left: truth.merchant, right: null, big: true },
    { left: `${10 + Math.floor(rnd() * 180)} Harbour Street`, right: null },
    { left: `Date: ${dateText}`, right: `${String(8 + Math.floor(rnd() * 12)).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}` },
    { left: '--------------------------------', right: null },
  ];
  for (const line of truth.lines) rows.push({ left: line.description, right: money(line.amountCents) });
  rows.push({ left: '--------------------------------', right: null });
  rows.push({ left: `TOTAL ${truth.currency}`, right: money(truth.totalCents), big: true });
  rows.push({ left: rnd() < 0.5 ? 'Paid by card' : 'Paid cash', right: null });
  rows.push({ left: 'Thank you for your visit!', right: null });
  return rows;
}

function svgOf(rows: ReturnType<typeof layout>, ink: string, paper: string): { svg: string; width: number; height: number } {
  const width = 560;
  const lineHeight = 30;
  const height = 40 + rows.length * lineHeight + 20;
  const texts = rows.map((r, i) => {
    const y = 50 + i * lineHeight;
    const size = r.big ? 24 : 20;
    const weight = r.big ? ' font-weight="bold"' : '';
    const left = `<text x="24" y="${y}" font-size="${size}"${weight}>${escapeXml(r.left)}</text>`;
    const right = r.right === null ? '' : `<text x="${width - 24}" y="${y}" font-size="${size}"${weight} text-anchor="end">${escapeXml(r.right)}</text>`;
    return left + right;
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect width="100%" height="100%" fill="${paper}"/>` +
    `<g font-family="DejaVu Sans Mono" fill="${ink}">${texts.join('')}</g></svg>`;
  return { svg, width, height };
}

/** One receipt: the seed and the index decide everything, so receipt 17 is the same in every run. */
export async function generateReceipt(seed: number, id: number, options: { noise?: boolean } = {}): Promise<GeneratedReceipt> {
  const rnd = seededRandom(seed * 100_003 + id);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const merchant = pick(MERCHANTS);
  let currency = pick(CURRENCIES);
  const dateFormats = ['iso', 'dmy-dot', 'dmy-slash', 'd-mon-y', 'mon-d-y', 'mdy-slash'];
  let dateFormat = pick(dateFormats);
  // Month-first slashes only on dollar receipts, as in the field; day-first slashes never on them.
  if (dateFormat === 'mdy-slash') currency = CURRENCIES[2]!;
  else if (dateFormat === 'dmy-slash' && currency.code === 'USD') currency = CURRENCIES[0]!;
  const [y, m, d] = [2024 + Math.floor(rnd() * 3), 1 + Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 28)];
  const count = 3 + Math.floor(rnd() * 18);
  const lines = Array.from({ length: count }, () => {
    const [description, lo, hi] = pick(merchant.items);
    return { description, amountCents: lo + Math.floor(rnd() * (hi - lo)) };
  });
  const totalCents = lines.reduce((s, l) => s + l.amountCents, 0);
  const dateText = formatDate(y, m, d, dateFormat);
  const partial = {
    merchant: merchant.name,
    date: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    dateFormat,
    currency: currency.code,
    totalCents,
    lines,
    category: merchant.category,
  };
  const rows = layout(partial, currency, dateText, rnd);
  const truth: ReceiptTruth = { ...partial, text: rows.map((r) => (r.right === null ? r.left : `${r.left} ${r.right}`)).join('\n') };

  const noisy = options.noise ?? true;
  const noise: ReceiptNoise = {
    rotationDegrees: noisy && rnd() < 0.5 ? Math.round((rnd() * 6 - 3) * 10) / 10 : 0,
    blurSigma: noisy && rnd() < 0.4 ? Math.round((0.4 + rnd() * 0.8) * 10) / 10 : 0,
    jpegQuality: noisy && rnd() < 0.5 ? 35 + Math.floor(rnd() * 60) : null,
    lowContrast: noisy && rnd() < 0.3,
  };
  const { svg } = svgOf(rows, noise.lowContrast ? '#7a7a7a' : '#111111', noise.lowContrast ? '#d4d0c8' : '#ffffff');
  let pipeline = sharp(Buffer.from(svg));
  if (noise.rotationDegrees !== 0) {
    const fill = noise.lowContrast ? { r: 212, g: 208, b: 200 } : { r: 255, g: 255, b: 255 };
    pipeline = sharp(await pipeline.png().toBuffer()).rotate(noise.rotationDegrees, { background: fill });
  }
  if (noise.blurSigma > 0) pipeline = pipeline.blur(noise.blurSigma);
  const image =
    noise.jpegQuality === null
      ? await pipeline.png().toBuffer()
      : await pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: noise.jpegQuality }).toBuffer();
  return { id, image, mime: noise.jpegQuality === null ? 'image/png' : 'image/jpeg', truth, noise };
}

/** The fixed benchmark set: `count` receipts from `seed`, generated lazily one by one. */
export async function* receiptSet(seed: number, count: number, options: { noise?: boolean } = {}): AsyncGenerator<GeneratedReceipt> {
  for (let id = 0; id < count; id += 1) yield await generateReceipt(seed, id, options);
}
