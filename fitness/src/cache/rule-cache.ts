import path from 'node:path';
import { readCache, writeCache } from './store.js';

/**
 * A per-rule key -> value store in `.archfit-cache/rules/<id>.json`, for rules that need
 * ts-morph: their result for a file (or a module) is reused while the content hashes it was
 * computed from are unchanged. Entries not touched in a run are dropped on save.
 */
export class RuleCache<T> {
  private readonly before: Record<string, { key: string; value: T }>;
  private readonly after: Record<string, { key: string; value: T }> = {};
  private changed = false;

  constructor(private readonly file: string | undefined) {
    this.before = (file && readCache<Record<string, { key: string; value: T }>>(file)) || {};
  }

  static for<T>(cacheDir: string | undefined, ruleId: string): RuleCache<T> {
    return new RuleCache<T>(cacheDir ? path.join(cacheDir, 'rules', `${ruleId}.json`) : undefined);
  }

  async get(id: string, key: string, compute: () => Promise<T> | T): Promise<T> {
    const hit = this.before[id];
    if (hit && hit.key === key) {
      this.after[id] = hit;
      return hit.value;
    }
    const value = await compute();
    this.after[id] = { key, value };
    this.changed = true;
    return value;
  }

  save(): void {
    if (!this.file) return;
    if (!this.changed && Object.keys(this.after).length === Object.keys(this.before).length) return;
    writeCache(this.file, this.after);
  }
}
