import { Writable } from 'node:stream';

/**
 * Keeps the last `size` log records in memory so the monolith's admin view can pull them
 * (`GET /logs`), the `logs.pull` capability in the catalog. Records are pino's JSON lines.
 */
export class LogBuffer {
  private readonly records: unknown[] = [];

  constructor(
    private readonly size: number,
    private readonly echo?: NodeJS.WritableStream,
  ) {}

  /** The stream pino writes to: one JSON line per record. */
  stream(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        const text = chunk.toString('utf8');
        this.echo?.write(text);
        for (const line of text.split('\n')) {
          if (line.trim() === '') continue;
          try {
            this.records.push(JSON.parse(line));
          } catch {
            this.records.push({ msg: line });
          }
          if (this.records.length > this.size) this.records.shift();
        }
        done();
      },
    });
  }

  recent(limit: number): unknown[] {
    return this.records.slice(-limit);
  }
}
