// Public library API of archfit. Each area adds its exports here.
export { EXIT } from './cli/exit-codes.js';
