/** How a rule's findings count: `error` fails the check, `warn` is reported only. */
export type Severity = 'error' | 'warn';
