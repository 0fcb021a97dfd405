/** Measurement: autocannon runs, keep-alive loops, paced runs, and the CPU each side spent. */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { makeAgent, request } from './http.mjs';
import { opts, log } from './options.mjs';

/**
 * CPU seconds (user + system, all threads) the process has used so far, from /proc; undefined
 * where there is no /proc. Per-request CPU does not depend on how fast the load generator is.
 */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
export const CLOCK_TICKS = 100;

/** Runs `measure` and adds the server's CPU microseconds per completed request. */
export async function withCpu(pid, measure) {
  const before = pid ? cpuSeconds(pid) : undefined;
  const driverBefore = process.cpuUsage();
  const result = await measure();
  const after = pid ? cpuSeconds(pid) : undefined;
  if (before !== undefined && after !== undefined && result.total > 0) result.cpuUs = ((after - before) * 1e6) / result.total;
  if (result.total > 0) result.driverCpuUs = driverCpuSince(driverBefore) / result.total;
  return result;
}

export const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

export async function cannon(options, { warmup = !opts.quick, pid } = {}) {
  if (warmup) await autocannon({ connections: opts.connections, ...options, duration: Math.min(2, Math.max(0.5, opts.duration / 5)) });
  return withCpu(pid, () => autocannonRun(options));
}

export async function autocannonRun(options) {
  const result = await autocannon({ connections: opts.connections, duration: opts.duration, ...options });
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    errors,
    ...(result.non2xx ? { non2xx: result.non2xx } : {}),
  };
}

/**
 * Runs N concurrent loops of `step` for the duration; each loop is sequential. The states (e.g.
 * signed-in browsers) are made first, so set-up work is neither timed nor counted as server CPU.
 */
export async function loops(n, makeState, step, pid) {
  const latencies = [];
  let errors = 0;
  let firstError;
  const states = await Promise.all(Array.from({ length: n }, (_, i) => makeState(i)));
  const cpuBefore = pid ? cpuSeconds(pid) : undefined;
  const driverBefore = process.cpuUsage();
  const deadline = performance.now() + opts.duration * 1000;
  const t0 = performance.now();
  await Promise.all(
    states.map(async (state) => {
      while (performance.now() < deadline) {
        const start = performance.now();
        try {
          await step(state);
          latencies.push(performance.now() - start);
        } catch (error) {
          errors++;
          firstError ??= error;
          if (errors > 50) break;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpuAfter = pid ? cpuSeconds(pid) : undefined;
  latencies.sort((a, b) => a - b);
  if (firstError) log(`  ${errors} errors, first: ${firstError.message}`);
  const result = { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), total: latencies.length, errors };
  if (cpuBefore !== undefined && cpuAfter !== undefined && result.total > 0) result.cpuUs = ((cpuAfter - cpuBefore) * 1e6) / result.total;
  if (result.total > 0) result.driverCpuUs = driverCpuSince(driverBefore) / result.total;
  return result;
}

/** CPU microseconds (user + system) this process, the load generator, has used since `before`. */
export function driverCpuSince(before) {
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/**
 * Open-loop load at a fixed rate: requests leave on a schedule (every 1/rate s) whether or not
 * earlier ones have returned, and latency counts from the scheduled time, so a stall is not
 * hidden (no coordinated omission). autocannon's overallRate sends each second's quota in a
 * burst at the start of the second, which measures max-rate latency, not latency at the rate.
 */
export async function paced(rate, origin, init) {
  const agent = makeAgent(opts.connections * 4);
  // Steady state only: open the connections and run at the rate untimed first, so the first
  // second's TCP connects and JIT warm-up are not counted as request latency.
  await Promise.all(Array.from({ length: opts.connections * 4 }, () => request(origin, { ...init, agent })));
  if (!opts.quick) await pacedRun(rate, origin, init, agent, Math.min(2, Math.max(0.5, opts.duration / 5)));
  const result = await pacedRun(rate, origin, init, agent, opts.duration);
  agent.destroy();
  return result;
}

export async function pacedRun(rate, origin, init, agent, seconds) {
  const latencies = [];
  let errors = 0;
  const pending = new Set();
  const interval = 1000 / rate;
  const start = performance.now();
  const end = start + seconds * 1000;
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (start + sent * interval <= now && start + sent * interval < end) {
        const due = start + sent * interval;
        sent++;
        const p = request(origin, { ...init, agent }).then(
          (res) => (res.status === 200 ? latencies.push(performance.now() - due) : errors++),
          () => errors++,
        );
        pending.add(p);
        p.finally(() => pending.delete(p));
      }
      if (now >= end) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / ((performance.now() - start) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), total: latencies.length, errors };
}
