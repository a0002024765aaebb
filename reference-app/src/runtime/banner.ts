import { LOGIN_CONTEXTS } from '../shared/auth/contexts.js';
import { DEMO_USERS } from './demo-data.js';

export interface BannerFacts {
  url: string;
  database: string;
  seeded: boolean;
  startupMs: number;
}

/** What `npm start` prints once the server listens: where it is and how to get a token per context. */
export function banner(facts: BannerFacts): string {
  const lines = [
    '',
    `archfit reference app listening on ${facts.url}  (ready ${Math.round(facts.startupMs)} ms after process start)`,
    `  database : ${facts.database}`,
    `  API docs : ${facts.url}/docs   (OpenAPI JSON: ${facts.url}/docs/json)`,
    `  health   : ${facts.url}/health   ready: ${facts.url}/ready`,
    '',
  ];
  if (facts.seeded) {
    lines.push('Get a token for each auth context (demo accounts):');
    for (const context of LOGIN_CONTEXTS) {
      const { email, password } = DEMO_USERS[context];
      const body = JSON.stringify({ email, password, context });
      lines.push(
        `  ${context.padEnd(8)}: curl -s -X POST ${facts.url}/api/public/sessions -H 'content-type: application/json' -d '${body}'`,
      );
    }
  } else {
    lines.push('Get a token (create a user first with POST /api/public/users):');
    lines.push(
      `  curl -s -X POST ${facts.url}/api/public/sessions -H 'content-type: application/json' -d '{"email":"you@example.com","password":"...","context":"consumer"}'`,
    );
  }
  lines.push(
    `Then: curl -s ${facts.url}/api/consumer/me -H "authorization: Bearer <token>"`,
    '',
    'Stop with Ctrl+C.',
    '',
  );
  return lines.join('\n');
}
