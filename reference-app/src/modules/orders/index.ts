// orders' public surface: its composition root and its event contract.
export { createOrdersModule, type OrdersDeps } from './api/module.js';
export { orderPlaced } from './api/events.js';
