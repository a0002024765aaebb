// The instrument self-check and the scenario runs against the app share one file on purpose:
// vitest runs test files in parallel but a file's tests in order, so the self-check never
// measures while this suite's own app, Postgres and generator load the machine's cores.
import './instrument-self-check.suite.js';
import './scenarios-against-app.suite.js';
