import { Type, type Static } from '@sinclair/typebox';

/**
 * The archfit config as a user writes it (`archfit.config.ts|.mjs|.json`). Every object is
 * closed (`additionalProperties: false`) so a misspelt key is an error naming it, not a rule
 * that silently never runs.
 */

const NonEmpty = Type.String({ minLength: 1 });
const Name = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });
const strict = { additionalProperties: false } as const;

/** Every folder a glob matches is one module, named after the folder. */
const ModuleGlob = Type.Object(
  {
    glob: NonEmpty,
    /** Files (relative to the module folder) other code may import. Default `["index.ts"]`. */
    publicEntries: Type.Optional(Type.Array(NonEmpty, { minItems: 1 })),
  },
  strict,
);
/** One module declared by hand. */
const ModuleExplicit = Type.Object(
  {
    name: Name,
    root: NonEmpty,
    publicEntries: Type.Optional(Type.Array(NonEmpty, { minItems: 1 })),
  },
  strict,
);

const ContextGlob = Type.Object(
  {
    glob: NonEmpty,
    /**
     * Files outside the context folder that may register this context's routes; `{context}`
     * stands for the context name, e.g. `src/modules/* /api/routes/{context}.ts`.
     */
    routeFiles: Type.Optional(Type.Array(NonEmpty)),
  },
  strict,
);
const ContextExplicit = Type.Object(
  { name: Name, root: NonEmpty, routeFiles: Type.Optional(Type.Array(NonEmpty)) },
  strict,
);

const Level = Type.Union([Type.Literal('off'), Type.Literal('error'), Type.Literal('warn')]);
const RuleSetting = Type.Union([
  Level,
  Type.Object(
    {
      severity: Type.Optional(Level),
      /** `count`: type-only imports are edges like any other; `ignore`: skipped by this rule. */
      typeOnly: Type.Optional(Type.Union([Type.Literal('count'), Type.Literal('ignore')])),
    },
    strict,
  ),
]);

export const ArchfitConfigSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    /** Globs of the source files to scan, relative to the repository root. */
    include: Type.Optional(Type.Array(NonEmpty, { minItems: 1 })),
    /** Globs never scanned (added to the defaults: node_modules, dist, .d.ts, tests). */
    exclude: Type.Optional(Type.Array(NonEmpty)),
    /** tsconfig files whose `paths` resolve aliases; each applies to files under its folder. */
    tsconfig: Type.Optional(Type.Array(NonEmpty)),
    modules: Type.Array(Type.Union([ModuleGlob, ModuleExplicit])),
    /** Allowed cross-module dependencies: module -> modules it may import. Default: none. */
    dependencies: Type.Optional(Type.Record(Type.String(), Type.Array(Name))),
    /** Tags per module, e.g. `compliance:pci`, `slo:99.99`. */
    tags: Type.Optional(Type.Record(Type.String(), Type.Array(NonEmpty))),
    layers: Type.Optional(
      Type.Object(
        {
          /** Layer name -> layers it may import (inside the same module). */
          allowed: Type.Record(Type.String(), Type.Array(Name)),
          /** Layer name -> folder inside a module. Default: the layer name. */
          folders: Type.Optional(Type.Record(Type.String(), NonEmpty)),
          /** Layer name -> external packages it may import (picomatch globs). Absent: any. */
          packages: Type.Optional(Type.Record(Type.String(), Type.Array(NonEmpty))),
          /** Layers whose symbols must never be re-exported from a public entry. */
          private: Type.Optional(Type.Array(Name)),
        },
        strict,
      ),
    ),
    /** Shared-kernel folders: importable from anywhere, never a module. */
    sharedKernel: Type.Optional(Type.Array(NonEmpty)),
    contexts: Type.Optional(Type.Array(Type.Union([ContextGlob, ContextExplicit]))),
    /** Per-rule severity (`off` disables) and type-only handling. */
    rules: Type.Optional(Type.Record(Type.String(), RuleSetting)),
    /** Scoped exemptions; each needs a reason. */
    exemptions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            rule: NonEmpty,
            /** Glob of the files the exemption covers. */
            file: NonEmpty,
            /** Optional: only violations whose target (file, module or specifier) matches. */
            to: Type.Optional(NonEmpty),
            reason: Type.String(),
          },
          strict,
        ),
      ),
    ),
    /** Committed baseline file. Default `archfit-baseline.json`. */
    baseline: Type.Optional(NonEmpty),
    cache: Type.Optional(
      Type.Object({ enabled: Type.Optional(Type.Boolean()), dir: Type.Optional(NonEmpty) }, strict),
    ),
    adr: Type.Optional(
      Type.Object(
        {
          dir: Type.Optional(NonEmpty),
          /** File names: NNNN-slug.md (number, default) or YYYY-MM-DD-slug.md (date). */
          naming: Type.Optional(Type.Union([Type.Literal('number'), Type.Literal('date')])),
          /** Accepted records must name a machine confirmation (rule id, load threshold or test file). */
          requireConfirmation: Type.Optional(Type.Boolean()),
        },
        strict,
      ),
    ),
    /** Data ownership: each module owns the PostgreSQL schema named after it. */
    data: Type.Optional(
      Type.Object(
        {
          /** Module -> modules whose schemas its SQL may read (never write). Default: none. */
          reads: Type.Optional(Type.Record(Type.String(), Type.Array(Name))),
          /** Module -> its schema name, when that is not the module name. */
          schemas: Type.Optional(Type.Record(Type.String(), NonEmpty)),
          /** Globs, relative to a module's root, of files holding its SQL. Default: infrastructure/**. */
          sql: Type.Optional(Type.Array(NonEmpty)),
        },
        strict,
      ),
    ),
    load: Type.Optional(
      Type.Object({ scenarios: Type.Optional(NonEmpty), results: Type.Optional(NonEmpty) }, strict),
    ),
    triggers: Type.Optional(
      Type.Object(
        {
          evidenceMaxAgeDays: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          /** Which load evidence may arm or fire a trigger; every key defaults to the strict choice. */
          evidence: Type.Optional(
            Type.Object(
              {
                /** Profiles whose runs qualify. Default `["full"]`. */
                profiles: Type.Optional(Type.Array(NonEmpty, { minItems: 1 })),
                /** `match` (default): only runs of the scenario definition as it is today. */
                definitionHash: Type.Optional(Type.Union([Type.Literal('match'), Type.Literal('any')])),
                /** Largest recorded calibration error (0.1 = 10 %, the default). */
                maxCalibrationError: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
                /** `reject` (default): runs whose generator fell behind do not qualify. */
                generatorBehind: Type.Optional(Type.Union([Type.Literal('reject'), Type.Literal('accept')])),
                /** `lower-bound` (default): a capacity search behind only above its highest passing step decides as `capacity ≥ X` where that settles the trigger. */
                behindAboveCapacity: Type.Optional(Type.Union([Type.Literal('lower-bound'), Type.Literal('reject')])),
                /** Metrics a capacity search reports from its highest passing step (default `sustainable_rate_rps`, `dau_capacity`). */
                capacityMetrics: Type.Optional(Type.Array(NonEmpty)),
                /** Stale or missing evidence for a scenario trigger fails `archfit check` (default true). */
                requireFresh: Type.Optional(Type.Boolean()),
                /** Runners archfit cannot calibrate whose runs may still decide, e.g. `["k6"]` (default none). */
                externalRunners: Type.Optional(Type.Array(NonEmpty)),
              },
              strict,
            ),
          ),
          /** Observed measurement -> the repo-relative file the app exports it to. */
          observed: Type.Optional(Type.Record(Type.String(), NonEmpty)),
        },
        strict,
      ),
    ),
  },
  strict,
);

/** The config as written. */
export type ArchfitConfig = Static<typeof ArchfitConfigSchema>;
export type RuleSettingInput = Static<typeof RuleSetting>;
