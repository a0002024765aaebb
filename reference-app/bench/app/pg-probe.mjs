// Preloaded into a bench server by reference-app/bench/app/write-cost.ts (NODE_OPTIONS --import):
// counts, per pool, pool.connect() calls, those that had to wait for a free connection and how
// long they waited, and statements sent, by their first 48 characters. On
// SIGWINCH (the app's close-with-grace stops on SIGUSR2) it writes <PG_PROBE_DIR>/pg-probe-<pid>.json and starts a new window.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.PG_PROBE_DIR;
if (dir) {
  const require = createRequire(path.join(process.cwd(), 'reference-app', 'package.json'));
  const pg = require('pg');
  let stats = fresh();
  function fresh() {
    return { connects: 0, waited: 0, waitMs: 0, maxWaitMs: 0, statements: {}, since: Date.now() };
  }
  const connect = pg.Pool.prototype.connect;
  pg.Pool.prototype.connect = function (cb) {
    if (cb) return connect.call(this, cb);
    const full = this.idleCount === 0 && this.totalCount >= this.options.max;
    const t0 = performance.now();
    stats.connects++;
    return connect.call(this).then((client) => {
      if (full) {
        const ms = performance.now() - t0;
        stats.waited++;
        stats.waitMs += ms;
        stats.maxWaitMs = Math.max(stats.maxWaitMs, ms);
      }
      return client;
    });
  };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, ...rest) {
    const text = typeof config === 'string' ? config : config?.text ?? '';
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 48);
    stats.statements[key] = (stats.statements[key] ?? 0) + 1;
    return query.call(this, config, ...rest);
  };
  process.on('SIGWINCH', () => {
    const out = { ...stats, windowMs: Date.now() - stats.since, pid: process.pid };
    writeFileSync(path.join(dir, `pg-probe-${process.pid}.json`), JSON.stringify(out, null, 2));
    stats = fresh();
  });
}
