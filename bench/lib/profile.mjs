/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per file, as a
 * percentage of all samples. `node bench/lib/profile.mjs FILE [N]` prints it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function summarizeProfile(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  // Percentages are of busy time: samples in which the process was idle (waiting on I/O or for
  // requests, e.g. during the half-rate run) are left out of the denominator.
  const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const idle = profile.samples.filter((id) => idleIds.has(id)).length;
  const total = profile.samples.length - idle || 1;
  const selfByFn = new Map();
  const selfByFile = new Map();
  // Inclusive time per function: each sample counts once for every distinct function on its stack.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  const short = (url) => (url || '(native)').replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'node_modules/').replace(/.*\/packages\//, 'packages/');
  const fnKey = (cf) => `${cf.functionName || '(anonymous)'}  ${short(cf.url)}:${cf.lineNumber + 1}`;
  for (const [id, count] of counts) {
    if (idleIds.has(id)) continue;
    const node = byId.get(id);
    const cf = node.callFrame;
    const key = fnKey(cf);
    selfByFn.set(key, (selfByFn.get(key) ?? 0) + count);
    const fileKey = short(cf.url).replace(/:\d+$/, '');
    selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + count);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const k = fnKey(byId.get(at).callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + count);
    }
  }
  const pct = (n) => ((100 * n) / total).toFixed(1).padStart(5) + ' %';
  const list = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${pct(v)}  ${k}`).join('\n');
  const ours = new Map([...inclusive].filter(([k]) => k.includes('packages/server')));
  return [
    `${profile.samples.length} samples, ${idle} idle; percentages are of the ${total} busy samples`,
    'Self time by function:',
    list(selfByFn, top),
    '',
    'Self time by file:',
    list(selfByFile, 15),
    '',
    'Inclusive time, Gatehouse functions:',
    list(ours, top),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(summarizeProfile(process.argv[2], Number(process.argv[3] ?? 30)));
