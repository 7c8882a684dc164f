/**
 * Preloaded (`-r`) into a bench server when bench/http.bench.ts runs with --cpu-prof, so that only the measured
 * load is profiled (not start-up, not warm-up). Driven over the IPC channel the parent opens:
 *   'cpu-profile:start'  starts the V8 sampling profiler;
 *   'cpu-profile:stop'   stops it, writes BENCH_CPU_PROF_FILE (a .cpuprofile: Chrome DevTools, speedscope) and
 *                        answers 'cpu-profile:written'.
 * Not `node --cpu-prof`: the API's shutdown hooks end the process by re-raising SIGTERM, and a process killed by a
 * signal never writes its --cpu-prof file. Not signals either: Nest's shutdown hooks listen to SIGUSR2 and friends.
 * Without BENCH_CPU_PROF_FILE or an IPC channel it does nothing.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const file = process.env['BENCH_CPU_PROF_FILE'];

if (file && process.send) {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));

  process.on('message', (message: unknown) => {
    if (message === 'cpu-profile:start') {
      void post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval: 250 }))
        .then(() => post('Profiler.start'));
    } else if (message === 'cpu-profile:stop') {
      void post<{ profile: unknown }>('Profiler.stop').then(({ profile }) => {
        writeFileSync(file, JSON.stringify(profile));
        process.send?.('cpu-profile:written');
      });
    }
  });
  // The channel must not keep the server alive once it is asked to stop.
  process.channel?.unref();
}
