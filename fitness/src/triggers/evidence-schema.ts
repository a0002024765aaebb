import { Type, type Static } from '@sinclair/typebox';

/**
 * The evidence file a load run writes (`load/results/<scenario>-<timestamp>.json`) and
 * `archfit triggers` reads. Latencies are milliseconds, rates requests (or writes) per second.
 * Documented field by field in docs/load.md; bump `schemaVersion` on any incompatible change.
 */
export const EVIDENCE_SCHEMA_VERSION = 2;

const Num = Type.Number();
// TypeBox leaves `format` to a registry; a pattern keeps the check self-contained.
const IsoTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' });
const LatencySchema = Type.Object({
  count: Num,
  min: Num,
  mean: Num,
  p50: Num,
  p90: Num,
  p95: Num,
  p99: Num,
  p999: Num,
  max: Num,
});

const ErrorsSchema = Type.Object({
  total: Num,
  /** errors / attempted requests, 0..1 */
  rate: Num,
  byKind: Type.Record(Type.String(), Num),
});

/** Where every scheduled request of an open-model step went. */
const StepCountsSchema = Type.Object({
  /** Requests the schedule called for (rate x duration). */
  offered: Num,
  /** Put on the wire. */
  sent: Num,
  /** Answered with an expected status. */
  achieved: Num,
  /** Never sent: more than the in-flight cap were outstanding (counted as not answered). */
  dropped: Num,
  /** Sent and given up at the request timeout. */
  timeouts: Num,
});

/** How far the load generator was from its own schedule, and what it cost. */
const StepGeneratorSchema = Type.Object({
  lateP50Ms: Num,
  lateP99Ms: Num,
  lateMaxMs: Num,
  /** Generator process CPU time over wall time (1 = a whole core); null when not measured. */
  cpuShare: Type.Union([Num, Type.Null()]),
  /** The generator fell behind or saturated: the step is no verdict on the app. */
  behind: Type.Boolean(),
  reason: Type.Union([Type.String(), Type.Null()]),
});

const PercentilesSchema = Type.Object({ p50: Num, p90: Num, p99: Num });

/** How much a run can be trusted, as data the trigger policy reads (schemaVersion 2). */
export const EvidenceQualitySchema = Type.Object({
  /**
   * The runner measured a stall server of known truth in-process just before the run; null when
   * the figures come from an instrument archfit cannot calibrate (a k6 run, imported).
   */
  calibration: Type.Union([Type.Null(), Type.Object({
    /** Largest relative error over p50, p90 and p99 (0.05 = 5 %). */
    error: Num,
    tolerance: Num,
    passed: Type.Boolean(),
    measured: PercentilesSchema,
    truth: PercentilesSchema,
    lateP99Ms: Num,
  })]),
  /** 1-minute load average sampled through the run (first sample at the start). */
  loadAverage: Type.Object({ samples: Type.Array(Num), min: Num, max: Num }),
  generator: Type.Object({
    /** Highest generator CPU share of any step; null when not measured. */
    cpuShareMax: Type.Union([Num, Type.Null()]),
    lateP99MaxMs: Num,
    /** Labels of the steps whose generator fell behind (no verdict on the app). */
    behindSteps: Type.Array(Type.String()),
  }),
  /** Highest error rate of any open-model step. */
  errorRateMax: Num,
});
export type EvidenceQuality = Static<typeof EvidenceQualitySchema>;

/** One constant-rate step (open model) or one closed-model run at fixed connections. */
export const EvidenceStepSchema = Type.Object({
  label: Type.String(),
  /** What this step varied, e.g. { strategy: 'row-lock', rows: 'hot' }. */
  labels: Type.Record(Type.String(), Type.String()),
  model: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  /** Scheduled rate (open model); null for closed-model runs, which have no schedule. */
  offeredRate: Type.Union([Num, Type.Null()]),
  achievedRate: Num,
  durationS: Num,
  requests: Num,
  errors: ErrorsSchema,
  latency: LatencySchema,
  routes: Type.Optional(Type.Record(Type.String(), Type.Object({ latency: LatencySchema, requests: Num, errors: Num }))),
  /** Step-specific figures: retries, lock waits, event-loop delay, ... */
  extra: Type.Record(Type.String(), Num),
  /** Whether the step met the scenario's SLO (capacity searches); absent when the step has no SLO. */
  withinSlo: Type.Optional(Type.Boolean()),
  /** pass / fail against the SLO, or inconclusive when the generator fell behind or the step was cut short (schemaVersion 2). */
  verdict: Type.Optional(Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('inconclusive')])),
  counts: Type.Optional(StepCountsSchema),
  generator: Type.Optional(StepGeneratorSchema),
});
export type EvidenceStep = Static<typeof EvidenceStepSchema>;

export const ThresholdVerdictSchema = Type.Object({
  id: Type.String(),
  metric: Type.String(),
  comparator: Type.Union([Type.Literal('<'), Type.Literal('<='), Type.Literal('>'), Type.Literal('>=')]),
  value: Num,
  unit: Type.String(),
  actual: Type.Union([Num, Type.Null()]),
  /** pass: `actual comparator value` holds; fail: it does not; missing: the run produced no such metric. */
  verdict: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('missing')]),
});
export type ThresholdVerdict = Static<typeof ThresholdVerdictSchema>;

export const EvidenceSchema = Type.Object({
  /** 1: before quality was recorded (still readable, never qualifies under the default policy); 2: with `quality`. */
  schemaVersion: Type.Union([Type.Literal(1), Type.Literal(EVIDENCE_SCHEMA_VERSION)]),
  scenario: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }),
  /** sha256 of the scenario definition file's bytes: evidence from an edited definition is a different experiment. */
  definitionHash: Type.String({ pattern: '^sha256:[0-9a-f]{64}$' }),
  profile: Type.String(),
  runner: Type.Object({ name: Type.String(), version: Type.String() }),
  startedAt: IsoTime,
  finishedAt: IsoTime,
  /** True when Ctrl-C (or a time bound) cut the run short: figures are what was measured until then. */
  interrupted: Type.Boolean(),
  commit: Type.Union([Type.Object({ sha: Type.String(), dirty: Type.Boolean() }), Type.Null()]),
  machine: Type.Object({
    platform: Type.String(),
    arch: Type.String(),
    cpus: Num,
    cpuModel: Type.String(),
    memoryBytes: Num,
    node: Type.String(),
    postgres: Type.Optional(Type.String()),
    /** 1/5/15-minute load averages when the run started: other work on the machine skews every figure. */
    loadAverage: Type.Optional(Type.Array(Num)),
  }),
  target: Type.Object({ url: Type.String(), appEnv: Type.Record(Type.String(), Type.String()) }),
  steps: Type.Array(EvidenceStepSchema),
  /** Postgres counters over the run (deltas of pg_stat_database, sampled lock waits). */
  database: Type.Record(Type.String(), Num),
  /** The figures triggers and thresholds read, by agreed name (e.g. dau_capacity). */
  metrics: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Num),
  units: Type.Record(Type.String(), Type.String()),
  thresholds: Type.Array(ThresholdVerdictSchema),
  notes: Type.Array(Type.String()),
  /** Required from schemaVersion 2 (the writer always sets it); absent in version 1 files. */
  quality: Type.Optional(EvidenceQualitySchema),
});
export type Evidence = Static<typeof EvidenceSchema>;
