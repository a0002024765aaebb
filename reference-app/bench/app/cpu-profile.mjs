// Preloaded into the bench's servers by `npm run bench:app -- --cpu-prof <dir>` (NODE_OPTIONS may
// carry --import but not --cpu-prof): samples the main thread with the inspector from start-up and
// writes <dir>/<entry>-<pid>.cpuprofile when the process exits.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.once('exit', () => {
    // An in-thread session answers synchronously, so this runs to the end inside 'exit'.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      const name = `${path.basename(process.argv[1] ?? 'node', '.ts')}-${process.pid}.cpuprofile`;
      writeFileSync(path.join(dir, name), JSON.stringify(result.profile));
    });
  });
}
