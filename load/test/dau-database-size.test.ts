import { describe, expect, it } from 'vitest';
import { sizeFigures } from '../runner/dau.js';
import { parseStatCpuMs, parseStatusBytes } from '../runner/module-cost-proc.js';

describe('dau: resources at the end of the capacity search (ADR-0014)', () => {
  it('database size, growth per request and per DAU-day, the largest tables, peak memory', () => {
    const before = { totalBytes: 8_000_000, tables: [] };
    const after = { totalBytes: 9_000_000, tables: [{ name: 'bidding.bids', bytes: 600_000 }, { name: 'catalog.listings', bytes: 200_000 }] };
    const { metrics, units, database } = sizeFigures(before, after, 4_000, 40, 150_000_000);
    expect(metrics).toEqual({
      app_instances: 1,
      database_instances: 1,
      database_size_bytes: 9_000_000,
      database_size_after_seed_bytes: 8_000_000,
      database_growth_bytes: 1_000_000,
      database_growth_bytes_per_request: 250,
      database_growth_bytes_per_dau_day: 10_000,
      app_peak_rss_bytes: 150_000_000,
    });
    expect(units.database_growth_bytes_per_dau_day).toBe('bytes/user/day');
    expect(database).toEqual({ 'table_bytes:bidding.bids': 600_000, 'table_bytes:catalog.listings': 200_000 });
  });

  it('a database that shrank (vacuum) reads zero growth, and no requests reads zero per request; unknown memory is left out', () => {
    const { metrics, units } = sizeFigures({ totalBytes: 10, tables: [] }, { totalBytes: 5, tables: [] }, 0, 40, undefined);
    expect(metrics.database_growth_bytes).toBe(0);
    expect(metrics.database_growth_bytes_per_request).toBe(0);
    expect('app_peak_rss_bytes' in metrics || 'app_peak_rss_bytes' in units).toBe(false);
  });
});

describe('/proc readings of the app process', () => {
  it('utime + stime after the last parenthesis (a command name may hold spaces and parentheses)', () => {
    const fields = ['S', '1', '2', '3', '0', '-1', '4194560', '100', '0', '0', '0', /* utime */ '250', /* stime */ '50', '0', '0', '20', '0', '11'];
    expect(parseStatCpuMs(`4242 (node (tsx) main) ${fields.join(' ')}`, 100)).toBe(3000);
    expect(parseStatCpuMs(`4242 (node) ${fields.join(' ')}`, 250)).toBe(1200);
    expect(() => parseStatCpuMs('garbage', 100)).toThrow(/stat/);
  });

  it('VmRSS and VmHWM in bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    expect(parseStatusBytes(status, 'VmRSS')).toBe(102_400 * 1024);
    expect(parseStatusBytes(status, 'VmHWM')).toBe(204_800 * 1024);
    expect(parseStatusBytes('Name:\tkthreadd\n', 'VmRSS')).toBe(0);
  });
});
