// Preloaded into the app under test (`node --import tsx --import loop-probe.mjs`) so the
// runner can read the app's own event-loop delay and utilisation without the app exposing
// them. Answers `{ type: 'loop-probe:read' }` over the IPC channel, then starts a new window.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

if (process.send) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let elu = performance.eventLoopUtilization();
  let cpu = process.cpuUsage();
  let since = performance.now();
  const ms = (ns) => ns / 1e6;
  const r3 = (v) => Math.round(Math.max(0, v) * 1000) / 1000;
  process.on('message', (msg) => {
    if (!msg || msg.type !== 'loop-probe:read') return;
    const window = performance.eventLoopUtilization(elu);
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - since;
    // The histogram counts from the resolution tick; subtract it so an idle loop reads ~0 ms.
    const res = 10;
    process.send({
      type: 'loop-probe:reading',
      id: msg.id,
      delayP50Ms: r3(ms(delay.percentile(50)) - res),
      delayP99Ms: r3(ms(delay.percentile(99)) - res),
      delayMaxMs: r3(ms(delay.max) - res),
      utilization: Math.round(window.utilization * 1000) / 1000,
      cpuShare: Math.round(((used.user + used.system) / 1000 / wallMs) * 1000) / 1000,
      windowMs: Math.round(wallMs),
    });
    delay.reset();
    elu = performance.eventLoopUtilization();
    cpu = process.cpuUsage();
    since = performance.now();
  });
  process.channel?.unref();
}
