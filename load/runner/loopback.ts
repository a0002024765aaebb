import { isIP } from 'node:net';

/** Thrown when a run is pointed anywhere but this machine. */
export class NonLoopbackTargetError extends Error {
  constructor(target: string) {
    super(
      `refusing to send load to ${target}: archfit load runs against loopback only ` +
        '(127.0.0.0/8, ::1 or localhost), so a mistyped URL can never flood a shared or production host',
    );
    this.name = 'NonLoopbackTargetError';
  }
}

/** Hosts named on the command line (`archfit load --allow-host <host>`); never set by a definition or a test. */
const namedHosts = new Set<string>();

/** Lets this process send load to `host`: only the CLI calls this, for a host its user typed. */
export function allowNamedHost(host: string): void {
  namedHosts.add(host);
}

/**
 * Load generated here is unbounded enough to hurt someone else's server, so the runner
 * checks the literal host instead of trusting DNS: only loopback addresses and `localhost`.
 */
export function assertLoopback(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(target)} (expected e.g. http://127.0.0.1:3000)`);
  }
  if (url.protocol !== 'http:' && !(url.protocol === 'https:' && namedHosts.has(url.hostname))) throw new Error(`only http: targets are supported, got ${url.protocol} in ${target}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback =
    host === 'localhost' ||
    (isIP(host) === 4 && host.split('.')[0] === '127') ||
    (isIP(host) === 6 && (host === '::1' || host === '0:0:0:0:0:0:0:1'));
  if (!loopback && !namedHosts.has(url.hostname)) throw new NonLoopbackTargetError(target);
  return url;
}
