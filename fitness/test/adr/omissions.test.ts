import { readFileSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

/**
 * The machine half of ADR-0015 (what the system deliberately does not have) and ADR-0018
 * (dependencies wired by hand): a runtime dependency or a manifest that contradicts either
 * record fails here, so the record changes with the code or the code does not change.
 */
const runtimeDeps = (file: string) => {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(pkg.dependencies ?? {});
};
const APP_PACKAGES = ['reference-app/package.json', 'package.json', ...globSync('reference-app/services/*/package.json', { cwd: REPO_ROOT })];

describe('ADR-0015: deliberate omissions hold in the code', () => {
  const omitted: Record<string, string[]> = {
    'a GraphQL layer': ['graphql', 'mercurius', '@apollo/server', 'graphql-yoga'],
    'a Redis cache': ['redis', 'ioredis', '@redis/client', 'cache-manager'],
    'a job queue': ['bullmq', 'bull', 'bee-queue', 'agenda', 'pg-boss'],
    'an event-sourcing or CQRS framework': ['@nestjs/cqrs', '@eventstore/db-client', 'node-eventstore'],
    'a Kubernetes client': ['@kubernetes/client-node'],
  };
  it.each(Object.entries(omitted))('no runtime dependency brings in %s', (_what, names) => {
    const found = APP_PACKAGES.flatMap((file) => runtimeDeps(file).filter((d) => names.includes(d)).map((d) => `${file}: ${d}`));
    expect(found).toEqual([]);
  });

  it('no Kubernetes manifests, Helm charts or service-mesh configuration are committed', () => {
    const manifests = globSync(['**/{k8s,kubernetes,helm,charts,istio,linkerd}/**', '**/Chart.yaml', '**/kustomization.{yaml,yml}'], { cwd: REPO_ROOT, ignore: ['**/node_modules/**', '.git/**'] });
    expect(manifests).toEqual([]);
  });
});

describe('ADR-0018: dependencies are wired by hand', () => {
  it('no IoC container is a runtime dependency', () => {
    const containers = ['inversify', 'tsyringe', 'awilix', 'typedi', '@nestjs/core', 'injection-js'];
    expect(APP_PACKAGES.flatMap((file) => runtimeDeps(file).filter((d) => containers.includes(d)))).toEqual([]);
  });

  it('every module has a composition root that builds it by hand, and app.ts calls each one', () => {
    const app = readFileSync(path.join(REPO_ROOT, 'reference-app/src/app.ts'), 'utf8');
    const modules = globSync('reference-app/src/modules/*/api/module.ts', { cwd: REPO_ROOT });
    expect(modules.length).toBeGreaterThanOrEqual(6);
    for (const file of modules) {
      const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
      const factory = /export function (create\w+Module)\(/.exec(text)?.[1];
      expect(factory, `${file} exports no create<Name>Module`).toBeDefined();
      expect(app, `app.ts does not call ${factory}`).toContain(`${factory}(`);
      expect(text).not.toMatch(/@(Injectable|Inject|injectable|inject)\(/);
    }
  });
});
