import { bearer, type TestUser } from '../helpers/test-app.js';

/*
 * Bounded loopback traffic for the fault tests: a fixed number of requests, a fixed number in
 * flight, over real HTTP (the pool, sockets and error paths run as in production). Every
 * answer is kept so the test can check statuses and that every acknowledged write is stored.
 */
export interface Answer {
  kind: 'bid' | 'checkout' | 'browse';
  status: number;
  contentType: string;
  retryAfter: string | null;
  /** Id of the stored row a 201 acknowledged (bid id or order id). */
  id?: string;
  body: string;
}

export interface Market {
  baseUrl: string;
  consumers: TestUser[];
  auctionId: string;
  fixedId: string;
}

let nextAmount = 10_000;

async function send(market: Market, i: number): Promise<Answer> {
  const consumer = market.consumers[i % market.consumers.length]!;
  const kind = (['bid', 'checkout', 'browse'] as const)[i % 3]!;
  const request =
    kind === 'bid'
      ? { url: `/api/consumer/listings/${market.auctionId}/bids`, method: 'POST', body: { amountCents: (nextAmount += 100) } }
      : kind === 'checkout'
        ? { url: '/api/consumer/orders', method: 'POST', body: { listingId: market.fixedId, quantity: 1 } }
        : { url: '/api/public/listings?limit=5', method: 'GET', body: undefined };
  const response = await fetch(market.baseUrl + request.url, {
    method: request.method,
    headers: { ...bearer(consumer.token), ...(request.body ? { 'content-type': 'application/json' } : {}) },
    body: request.body ? JSON.stringify(request.body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.text();
  const answer: Answer = {
    kind,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    retryAfter: response.headers.get('retry-after'),
    body,
  };
  if (response.status === 201) {
    const parsed = JSON.parse(body) as { id?: string; bid?: { id: string } };
    answer.id = kind === 'bid' ? parsed.bid!.id : parsed.id;
  }
  return answer;
}

/** Sends `total` requests with at most `inFlight` at once; resolves with every answer. */
export async function drive(market: Market, total: number, inFlight: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  let issued = 0;
  const lane = async () => {
    while (issued < total) {
      const i = issued++;
      answers.push(await send(market, i));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return answers;
}

/** Statuses a request may end with while the database comes and goes; anything else is a bug. */
export const ACCEPTABLE = new Set([200, 201, 409, 422, 503]);

export function misbehaved(answers: Answer[]): string[] {
  return answers
    .filter(
      (a) =>
        !ACCEPTABLE.has(a.status) ||
        (a.status === 503 && (!a.contentType.startsWith('application/problem+json') || !a.retryAfter)),
    )
    .map((a) => `${a.kind} ${a.status} ${a.contentType} retry-after=${a.retryAfter} ${a.body.slice(0, 160)}`);
}

/** Waits (bounded) until `check` resolves true. */
export async function eventually(check: () => Promise<boolean>, attempts = 100, pauseMs = 100): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return false;
}
