// The exit codes live in src/exit-codes.ts (no stage), so report/ can use them without importing cli/.
export { EXIT, type SetExit } from '../exit-codes.js';
