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

/**
 * Measurements the running app exports about itself (observed, not load-tested): archfit reads
 * the exported file named under `triggers.observed` in the config.
 */
export const OBSERVED_MEASUREMENTS = { 'daily-active-users': 'observed_dau' } as const;
export type ObservedMeasurement = keyof typeof OBSERVED_MEASUREMENTS;

export const TriggerSourceSchema = Type.Union([
  Type.Object({ scenario: KebabId }, { additionalProperties: false }),
  Type.Object(
    { observed: Type.Union(Object.keys(OBSERVED_MEASUREMENTS).map((name) => Type.Literal(name as ObservedMeasurement))) },
    { additionalProperties: false },
  ),
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

/** What every measured condition has: an id, a sentence, and `metric comparator threshold`. */
const measuredCondition = {
  id: KebabId,
  description: Type.String({ minLength: 1 }),
  metric: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
  comparator: Type.Union(COMPARATORS.map((c) => Type.Literal(c))),
  threshold: Type.Object(
    { value: Type.Number(), unit: Type.String({ minLength: 1 }) },
    { additionalProperties: false },
  ),
};

export const RevisitTriggerSchema = Type.Object(
  {
    ...measuredCondition,
    sustain: Type.Optional(Type.String({ pattern: '^\\d+[hd]$' })),
    source: TriggerSourceSchema,
    /**
     * For an observed measurement: the threshold is this fraction of a metric the newest
     * evidence of a load scenario reports (e.g. 0.5 of the measured DAU capacity).
     */
    'fraction-of': Type.Optional(Type.Object({ scenario: KebabId, metric: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }) }, { additionalProperties: false })),
    /**
     * `<scenario>:<threshold-id>` whose value this threshold restates (e.g. observed DAU against
     * the DAU the capacity scenario plans for): the lint fails when the two numbers differ.
     */
    'agrees-with': Type.Optional(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*:[a-z0-9]+(-[a-z0-9]+)*$' })),
  },
  { additionalProperties: false },
);
/** One revisit trigger: fires when `evidence[metric] comparator threshold.value`. */
export type RevisitTrigger = Static<typeof RevisitTriggerSchema>;

/**
 * A success or rollback criterion of an extraction: the same measurement shape as a trigger,
 * evaluated from the pilot's evidence. A success criterion passes when its comparison holds;
 * a rollback criterion fires when it holds.
 */
export const CriterionSchema = Type.Object(
  { ...measuredCondition, source: Type.Object({ scenario: KebabId }, { additionalProperties: false }) },
  { additionalProperties: false },
);
export type Criterion = Static<typeof CriterionSchema>;

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
    amends: Type.Optional(Type.Array(AdrNumber)),
    'amended-by': Type.Optional(Type.Array(AdrNumber)),
    clarifies: Type.Optional(Type.Array(AdrNumber)),
    'clarified-by': Type.Optional(Type.Array(AdrNumber)),
    modules: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    confirmation: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    'revisit-triggers': Type.Optional(Type.Array(RevisitTriggerSchema)),
    'success-criteria': Type.Optional(Type.Array(CriterionSchema)),
    'rollback-criteria': Type.Optional(Type.Array(CriterionSchema)),
  },
  { additionalProperties: false },
);
export type AdrFrontMatter = Static<typeof AdrFrontMatterSchema>;

/** The number a revisit reference points at, whichever form it is written in. */
export function revisitTarget(ref: RevisitRef): number {
  return typeof ref === 'number' ? ref : ref.adr;
}
