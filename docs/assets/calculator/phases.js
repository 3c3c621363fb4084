// The phases of a visit on the page's performance timeline (User Timing entries named "yb:…"), read by
// bench/bench_calculator.py. Cheap (no network, no storage); nothing on the phone reads them.
export function markPhase(name) {
  performance.mark(`yb:${name}`);
}

// The worker's phases (worker.js: [name, start, end] in milliseconds since the epoch: the worker has a
// timeline of its own) as measures on the page's.
export function markWorkerPhases(phases = []) {
  const onPage = (epochMs) => Math.max(0, epochMs - performance.timeOrigin);
  for (const [name, start, end] of phases) {
    performance.measure(`yb:worker ${name}`, { start: onPage(start), end: onPage(end) });
  }
}
