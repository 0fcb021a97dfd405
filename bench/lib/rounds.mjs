/**
 * Several rounds over all servers, one summary per scenario and server. A shared, noisy machine
 * drifts by tens of percent within minutes; a server measured in one slow minute would skew its
 * ratios. Each (scenario, server) keeps the measurement of median throughput across rounds
 * (a whole measurement, so its rate, latencies and CPU stay consistent), and records every
 * round's rate beside it.
 */
export function medianOfRounds(rows, { key = (row) => `${row.scenario}\u0000${row.target}`, value = (row) => row.rps } = {}) {
  const groups = new Map();
  for (const row of rows) {
    const id = key(row);
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id).push(row);
  }
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => value(a) - value(b));
    // The lower median for an even count: never flatters.
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    return group.length === 1 ? median : { ...median, rounds: group.map(value) };
  });
}
