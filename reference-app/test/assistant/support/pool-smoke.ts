// Run as its own process (`node --import tsx`): the pool executor must load its worker there too.
import { createInlineExecutor } from '../../../src/modules/assistant/infrastructure/inline-executor.js';
import { createPoolExecutor } from '../../../src/modules/assistant/infrastructure/pool-executor.js';

const body = { texts: ['smoke test'], dimensions: 8, cost: 2 };
const pool = createPoolExecutor({ threads: 1 });
const fromPool = await pool.embed(body);
const inline = await createInlineExecutor().embed(body);
await pool.close();
process.stdout.write(
  JSON.stringify({ mode: pool.mode, dimensions: fromPool.dimensions, identical: JSON.stringify(fromPool) === JSON.stringify(inline) }),
);
