import { Type, type Static } from '@sinclair/typebox';

/**
 * Scenario definitions are data (`load/scenarios/<id>.json`), read by both runners: the
 * in-repo runner (load/runner) and the k6 scripts (load/k6). Every number a run uses lives
 * here, so a changed assumption changes the definition hash recorded in the evidence.
 */

const Pos = Type.Number({ exclusiveMinimum: 0 });
const Strict = { additionalProperties: false } as const;

export const ThresholdSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }),
    metric: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    /** The threshold passes when `metric comparator value` holds. */
    comparator: Type.Union([Type.Literal('<'), Type.Literal('<='), Type.Literal('>'), Type.Literal('>=')]),
    value: Type.Number(),
    unit: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
  },
  Strict,
);
export type Threshold = Static<typeof ThresholdSchema>;

/**
 * One kind of request in a mix. `path` and `body` may hold placeholders the runner fills per
 * request: {listing} a random seeded auction listing, {fixedListing} a random fixed-price
 * listing, {amount} a rising bid amount, {query} a search term, {n} the request index.
 */
export const RequestTemplateSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    weight: Type.Optional(Pos),
    method: Type.Union([Type.Literal('GET'), Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('PATCH'), Type.Literal('DELETE')]),
    path: Type.String({ pattern: '^/' }),
    /** Which seeded identity's bearer token to send; none for public routes. */
    auth: Type.Optional(Type.Union([Type.Literal('consumer'), Type.Literal('seller'), Type.Literal('admin')])),
    body: Type.Optional(Type.Unknown()),
    /** Statuses that count as success (default 2xx); e.g. a rejected low bid is a valid answer. */
    expect: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 599 }))),
  },
  Strict,
);
export type RequestTemplate = Static<typeof RequestTemplateSchema>;

const Common = {
  id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }),
  description: Type.String({ minLength: 1 }),
  /** Extra environment for the app under test. */
  appEnv: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** Rows created through the API before measuring: consumers, auction listings, fixed-price listings (deep stock, for checkout). */
  seed: Type.Object({ consumers: Type.Integer({ minimum: 1 }), listings: Type.Integer({ minimum: 1 }), fixedPriceListings: Type.Optional(Type.Integer({ minimum: 1 })) }, Strict),
  thresholds: Type.Array(ThresholdSchema, { minItems: 1 }),
  /** The headline metrics a run reports (evidence `metrics` keys), so ADR triggers can be checked against them. */
  metrics: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Type.Object({ unit: Type.String(), description: Type.String() }, Strict)),
};

export const DauModelSchema = Type.Object(
  {
    /** The DAU the product expects; what the capacity is compared with. */
    projectedDau: Pos,
    sessionsPerUserPerDay: Pos,
    requestsPerSession: Pos,
    /** Busiest hour's rate over the day's mean (about 3.3 for one time zone, 1.7 worldwide). */
    peakToMean: Type.Number({ minimum: 1 }),
    /** Headroom kept on top of the peak (2 = run at half the measured capacity). */
    safetyFactor: Type.Number({ minimum: 1 }),
  },
  Strict,
);
export type DauModel = Static<typeof DauModelSchema>;

const SloSchema = Type.Object({ p99Ms: Pos, maxErrorRate: Type.Number({ minimum: 0, maximum: 1 }) }, Strict);

const DauProfile = Type.Object(
  {
    startRate: Pos,
    /** Each step offers `stepFactor` times the previous step's rate. */
    stepFactor: Type.Number({ exclusiveMinimum: 1 }),
    maxRate: Pos,
    maxSteps: Type.Integer({ minimum: 1 }),
    stepDurationS: Pos,
    /** A short unmeasured run before the search so the first step does not pay for JIT and pool warm-up. */
    warmupS: Type.Number({ minimum: 0 }),
    /** After the first failing step, this many bisection steps between it and the last passing one. */
    refineSteps: Type.Integer({ minimum: 0 }),
    connections: Type.Integer({ minimum: 1 }),
  },
  Strict,
);

export const DauScenarioSchema = Type.Object(
  {
    ...Common,
    kind: Type.Literal('dau'),
    model: DauModelSchema,
    slo: SloSchema,
    mix: Type.Array(RequestTemplateSchema, { minItems: 1 }),
    profiles: Type.Object({ full: DauProfile, quick: DauProfile, test: DauProfile }, Strict),
  },
  Strict,
);
export type DauScenario = Static<typeof DauScenarioSchema>;

const ContentionProfile = Type.Object(
  {
    /** Open-model bids per second on each row set. */
    rate: Pos,
    durationS: Pos,
    connections: Type.Integer({ minimum: 1 }),
    /** Closed-model ceiling run (autocannon): connections hammering the hot row, seconds. */
    ceilingConnections: Type.Integer({ minimum: 1 }),
    ceilingDurationS: Type.Number({ minimum: 0 }),
    /** pg_stat_activity / pg_locks sampling period. */
    sampleEveryMs: Type.Integer({ minimum: 10 }),
    /** Wait before reading pg_stat_database counters (default 11 s on PostgreSQL 15+, which flushes an idle backend's counters up to 10 s late; 1.5 s before 15). */
    statsSettleMs: Type.Optional(Type.Integer({ minimum: 0 })),
    /** A subset of the strategies for a short profile (default: all); each costs an app start. */
    strategies: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    /** Overrides the scenario's uniformRows (fewer rows seed faster). */
    uniformRows: Type.Optional(Type.Integer({ minimum: 2 })),
  },
  Strict,
);

export const ContentionScenarioSchema = Type.Object(
  {
    ...Common,
    kind: Type.Literal('write-contention'),
    strategies: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    /** The BID_STRATEGY the app runs today: its hot-row figures feed the trigger metrics. */
    currentStrategy: Type.String({ minLength: 1 }),
    /** Listing created for every row (the hot one and the uniform ones). */
    listing: Type.Object({ title: Type.String(), priceCents: Type.Integer({ minimum: 1 }), stock: Type.Integer({ minimum: 1 }) }, Strict),
    /** Listings the uniform control spreads its writes over (the hot set is one listing). */
    uniformRows: Type.Integer({ minimum: 2 }),
    write: RequestTemplateSchema,
    slo: SloSchema,
    profiles: Type.Object({ full: ContentionProfile, quick: ContentionProfile, test: ContentionProfile }, Strict),
  },
  Strict,
);
export type ContentionScenario = Static<typeof ContentionScenarioSchema>;

const ComputeProfile = Type.Object(
  {
    fastRate: Pos,
    /** Task arrival rates swept per mode (0 is the baseline). */
    taskRates: Type.Array(Type.Number({ minimum: 0 }), { minItems: 1 }),
    stepDurationS: Pos,
    connections: Type.Integer({ minimum: 1 }),
    /** A subset of the modes for a short profile (default: all); each costs an app start. */
    modes: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
  },
  Strict,
);

export const ComputeScenarioSchema = Type.Object(
  {
    ...Common,
    kind: Type.Literal('compute-latency'),
    modes: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    /** The mode the app runs in production today: its figures feed the trigger metric. */
    currentMode: Type.String({ minLength: 1 }),
    /** The task rate the product expects; the trigger reads the fast route's p99 at this rate. */
    expectedTaskRate: Type.Number({ minimum: 0 }),
    fastRouteSloMs: Pos,
    fast: RequestTemplateSchema,
    task: RequestTemplateSchema,
    /** Optional app route exposing event-loop delay / utilisation as JSON. */
    loopMetricsPath: Type.Optional(Type.String({ pattern: '^/' })),
    profiles: Type.Object({ full: ComputeProfile, quick: ComputeProfile, test: ComputeProfile }, Strict),
  },
  Strict,
);
export type ComputeScenario = Static<typeof ComputeScenarioSchema>;


const LagProfile = Type.Object(
  {
    /** Open-model bids per second on the one hot listing. */
    rate: Pos,
    durationS: Pos,
    connections: Type.Integer({ minimum: 1 }),
    /** After the step, how long the runner waits (at most) for the consumer to drain what the step left; what is still pending then is `undrained`. */
    drainS: Type.Number({ minimum: 0 }),
    /** How often the backlog is read while draining. */
    pollEveryMs: Type.Integer({ minimum: 10 }),
  },
  Strict,
);

/**
 * `notification-lag`: one hot auction at a fixed bid rate, with the consumer running where the
 * app places it (NOTIFICATIONS_RUN), and per event the time from the event's row in the bid's
 * transaction to the consumer's inbox row, read from the database after the step.
 */
export const NotificationLagScenarioSchema = Type.Object(
  {
    ...Common,
    kind: Type.Literal('notification-lag'),
    /** Listing the hot auction is created as. */
    listing: Type.Object({ title: Type.String(), priceCents: Type.Integer({ minimum: 1 }), stock: Type.Integer({ minimum: 1 }) }, Strict),
    write: RequestTemplateSchema,
    /** The bids' own SLO (the step's verdict); the lag has its thresholds. */
    slo: SloSchema,
    /** Whose handling is measured: the consumer's inbox rows, for the events of these types. */
    lag: Type.Object({ consumer: Type.String({ minLength: 1 }), eventTypes: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) }, Strict),
    profiles: Type.Object({ full: LagProfile, quick: LagProfile, test: LagProfile }, Strict),
  },
  Strict,
);
export type NotificationLagScenario = Static<typeof NotificationLagScenarioSchema>;


const ModuleCostProfile = Type.Object(
  {
    /** Requests per second of each module's step (its routes from the mix, by their weights). */
    rate: Pos,
    /** Per-module rates: a compute-bound route at the common rate would measure a queue, not a cost. */
    moduleRates: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Pos)),
    stepDurationS: Pos,
    /** Unmeasured traffic per module before its step (JIT, pools, the OCR worker's first image). */
    warmupS: Type.Number({ minimum: 0 }),
    /** A window with no traffic before the steps: the app's own background CPU per second, subtracted from every step. */
    idleS: Pos,
    connections: Type.Integer({ minimum: 1 }),
    /** A subset of the modules for a short profile (default: every module the routes reach). */
    modules: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
  },
  Strict,
);

/**
 * `module-cost`: each module's routes driven alone at a modest fixed rate while the runner reads
 * the app process's CPU time and memory from /proc; CPU-ms per answered request per module and
 * its ratio to the median across modules. Routes are charged to the module owning their route file.
 */
export const ModuleCostScenarioSchema = Type.Object(
  {
    ...Common,
    kind: Type.Literal('module-cost'),
    routes: Type.Array(RequestTemplateSchema, { minItems: 1 }),
    /** A step whose error rate is above this is reported but left out of the ratio (failed requests cost less CPU). */
    maxErrorRate: Type.Number({ minimum: 0, maximum: 1 }),
    profiles: Type.Object({ full: ModuleCostProfile, quick: ModuleCostProfile, test: ModuleCostProfile }, Strict),
  },
  Strict,
);
export type ModuleCostScenario = Static<typeof ModuleCostScenarioSchema>;


/**
 * `http-mix`: a request mix against any app, for teams measuring their own system. Nothing in
 * it is tied to the reference app: the target is a base URL, values come from seeded fills
 * or a CSV file, and auth is a header template (e.g. `Bearer {env.API_TOKEN}`).
 */
const FillName = Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]*$' });
export const HttpMixFillSchema = Type.Union([
  /** A seeded integer in [min, max]. */
  Type.Object({ type: Type.Literal('int'), min: Type.Integer(), max: Type.Integer() }, Strict),
  /** One of the values, seeded. */
  Type.Object({ type: Type.Literal('pick'), values: Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 1 }) }, Strict),
  /** `start + n * step` for request n of a step (rising bid amounts, unique names). */
  Type.Object({ type: Type.Literal('sequence'), start: Type.Number(), step: Type.Number() }, Strict),
  /** A seeded row of a CSV file with a header line (path relative to the definition); `{name.column}`. */
  Type.Object({ type: Type.Literal('csv'), file: Type.String({ minLength: 1 }) }, Strict),
]);
export type HttpMixFill = Static<typeof HttpMixFillSchema>;

export const HttpMixRequestSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    weight: Type.Optional(Pos),
    method: Type.Union([Type.Literal('GET'), Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('PATCH'), Type.Literal('DELETE')]),
    /** Path and query with `{fill}`, `{fill.column}`, `{n}` or `{env.NAME}` placeholders. */
    path: Type.String({ pattern: '^/' }),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    body: Type.Optional(Type.Unknown()),
    /** Statuses that count as an answer, not an error (default 200-299). */
    expect: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { minItems: 1 })),
  },
  Strict,
);
export type HttpMixRequest = Static<typeof HttpMixRequestSchema>;

const HttpMixSearch = Type.Object(
  {
    startRate: Pos,
    stepFactor: Type.Number({ exclusiveMinimum: 1 }),
    maxRate: Pos,
    maxSteps: Type.Integer({ minimum: 1 }),
    /** Bisection steps after the first failing one (the in-repo runner only; k6 plans the rising steps). */
    refineSteps: Type.Integer({ minimum: 0 }),
  },
  Strict,
);
const HttpMixProfile = Type.Object(
  {
    /** Fixed rates, each its own step (`name` becomes the metric suffix), or a capacity search with the dau rule. */
    steps: Type.Union([
      Type.Object({ rates: Type.Array(Type.Object({ name: Type.String({ pattern: '^[a-z0-9_]+$' }), rate: Pos }, Strict), { minItems: 1 }) }, Strict),
      Type.Object({ search: HttpMixSearch }, Strict),
    ]),
    stepDurationS: Pos,
    warmupS: Type.Number({ minimum: 0 }),
    connections: Type.Integer({ minimum: 1 }),
  },
  Strict,
);
export type HttpMixProfileDef = Static<typeof HttpMixProfile>;

export const HttpMixScenarioSchema = Type.Object(
  {
    id: Common.id,
    kind: Type.Literal('http-mix'),
    description: Common.description,
    /** Where the app listens when `--target` is not given; must be loopback unless named on the command line. */
    baseUrl: Type.String({ pattern: '^https?://' }),
    /** Seed of the request stream: request n of a step is the same in every run and in k6. */
    seed: Type.Integer({ minimum: 0 }),
    fills: Type.Optional(Type.Record(FillName, HttpMixFillSchema)),
    /** Headers on every request (templates, e.g. `authorization: Bearer {env.API_TOKEN}`). */
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    requests: Type.Array(HttpMixRequestSchema, { minItems: 1 }),
    slo: SloSchema,
    profiles: Type.Object({ full: HttpMixProfile, quick: Type.Optional(HttpMixProfile), test: Type.Optional(HttpMixProfile) }, Strict),
    thresholds: Common.thresholds,
    metrics: Common.metrics,
  },
  Strict,
);
export type HttpMixScenario = Static<typeof HttpMixScenarioSchema>;
/** Every kind a definition file may have (the reference-app kinds plus http-mix). */
export type AnyScenario = Scenario | HttpMixScenario;

export const ScenarioSchema = Type.Union([DauScenarioSchema, ContentionScenarioSchema, ComputeScenarioSchema, NotificationLagScenarioSchema, ModuleCostScenarioSchema]);
export type Scenario = Static<typeof ScenarioSchema>;
export type ProfileName = 'full' | 'quick' | 'test';
export const SCENARIO_IDS = ['dau', 'write-contention', 'compute-latency', 'notification-lag', 'module-cost'] as const;
/**
 * What `npm run loop` runs when no scenario is named: the request-path scenarios, whose quick
 * profiles together stay under two minutes on a quiet 2-core machine. notification-lag and
 * module-cost need their full steps to say anything (a drained backlog, per-module CPU); their
 * triggers still appear in the loop's table, read from their full-profile evidence, and
 * `npm run loop -- notification-lag` runs one on demand.
 */
export const LOOP_SCENARIOS = ['dau', 'write-contention', 'compute-latency'] as const satisfies readonly (typeof SCENARIO_IDS)[number][];
