import { Type, type Static } from '@sinclair/typebox';

/**
 * The front matter of one ADR. MADR 4's fields (status, date, decision-makers, consulted,
 * informed) plus what archfit checks: typed relations between records, the modules a record
 * governs, the checks that confirm it, and its revisit triggers as data.
 *
 * Relations hold ADR numbers so a renamed file never breaks a link.
 */

export const ADR_STATUSES = ['proposed', 'accepted', 'rejected', 'deprecated', 'superseded'] as const;
export type AdrStatus = (typeof ADR_STATUSES)[number];

export const COMPARATORS = ['<', '<=', '>', '>='] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** Repository measurements archfit computes itself (no load run needed) and the metric each yields. */
export const REPOSITORY_MEASUREMENTS = {
  'team-size': 'active_engineers',
  'compliance-isolation': 'compliance_tagged_modules',
  'feature-slos': 'modules_with_own_slo',
} as const;
export type RepositoryMeasurement = keyof typeof REPOSITORY_MEASUREMENTS;

const KebabId = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' });
const AdrNumber = Type.Integer({ minimum: 1 });

export const TriggerSourceSchema = Type.Union([
  Type.Object({ scenario: KebabId }, { additionalProperties: false }),
  Type.Object(
    {
      repository: Type.Union(
        Object.keys(REPOSITORY_MEASUREMENTS).map((name) => Type.Literal(name as RepositoryMeasurement)),
      ),
    },
    { additionalProperties: false },
  ),
]);
export type TriggerSource = Static<typeof TriggerSourceSchema>;

export const RevisitTriggerSchema = Type.Object(
  {
    id: KebabId,
    description: Type.String({ minLength: 1 }),
    metric: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    comparator: Type.Union(COMPARATORS.map((c) => Type.Literal(c))),
    threshold: Type.Object(
      { value: Type.Number(), unit: Type.String({ minLength: 1 }) },
      { additionalProperties: false },
    ),
    sustain: Type.Optional(Type.String({ pattern: '^\\d+[hd]$' })),
    source: TriggerSourceSchema,
  },
  { additionalProperties: false },
);
/** One revisit trigger: fires when `evidence[metric] comparator threshold.value`. */
export type RevisitTrigger = Static<typeof RevisitTriggerSchema>;

/**
 * A revisit names the record it re-examines; the long form also names the trigger that fired
 * and the evidence file, so `revisit-required` can tell which trigger was answered.
 */
export const RevisitRefSchema = Type.Union([
  AdrNumber,
  Type.Object(
    { adr: AdrNumber, trigger: Type.Optional(KebabId), evidence: Type.Optional(Type.String()) },
    { additionalProperties: false },
  ),
]);
export type RevisitRef = Static<typeof RevisitRefSchema>;

export const AdrFrontMatterSchema = Type.Object(
  {
    status: Type.Union(ADR_STATUSES.map((s) => Type.Literal(s))),
    date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    'decision-makers': Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    consulted: Type.Optional(Type.Array(Type.String())),
    informed: Type.Optional(Type.Array(Type.String())),
    supersedes: Type.Optional(Type.Array(AdrNumber)),
    'superseded-by': Type.Optional(Type.Array(AdrNumber)),
    revisits: Type.Optional(Type.Array(RevisitRefSchema)),
    'revisited-by': Type.Optional(Type.Array(AdrNumber)),
    modules: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    confirmation: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    'revisit-triggers': Type.Optional(Type.Array(RevisitTriggerSchema)),
  },
  { additionalProperties: false },
);
export type AdrFrontMatter = Static<typeof AdrFrontMatterSchema>;

/** The number a revisit reference points at, whichever form it is written in. */
export function revisitTarget(ref: RevisitRef): number {
  return typeof ref === 'number' ? ref : ref.adr;
}
