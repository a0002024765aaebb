import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { fill, headers, type Fixture, type RequestTemplate } from './definition.ts';

const QUERIES = ['lamp', 'chair', 'vintage', 'camera', 'bike', 'desk', 'brass', 'guitar'];

/** Sends one templated request, tagged with its template name so ids never become series. */
export function send(t: RequestTemplate, fx: Fixture, listing: string): void {
  const n = exec.scenario.iterationInTest;
  // Rising with the iteration number across all VUs, like the in-repo runner's amounts.
  const ctx = { n, listing, amount: 1000 + (n + 1) * 10, query: QUERIES[n % QUERIES.length] ?? 'lamp' };
  const url = fx.baseUrl + String(fill(t.path, ctx));
  const body = t.body === undefined ? null : JSON.stringify(fill(t.body, ctx));
  const res = http.request(t.method, url, body, { headers: headers(t, fx, n), tags: { name: `${t.method} ${t.path}` } });
  const ok = t.expect ? t.expect.includes(res.status) : res.status >= 200 && res.status < 300;
  check(res, { [`${t.name} answered as expected`]: () => ok });
}
