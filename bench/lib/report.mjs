/** The report: result tables, ratios against oidc-provider, the floor and a baseline build, and the targets. */

export const fmt = (ms) => (Number.isFinite(ms) ? `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms` : 'n/a');
export const ratio = (a, b) => (a && b ? a / b : undefined);
export const fmtRatio = (r) => (r === undefined ? '' : `${r.toFixed(2)}×`);

/** The oidc-provider row a Gatehouse row is compared with: validate ↔ introspection. */
export function counterpart(rows, row, db) {
  const scenario = row.scenario === 'validate' ? 'introspection' : row.scenario;
  return rows.find((r) => r.kind === 'oidc-provider' && r.db === db && r.scenario === scenario);
}

export function buildTable(rows) {
  const header = ['scenario', 'server', 'req/s', 'p50', 'p99', 'CPU/req', 'GH/OP (memory)', 'GH/OP (same DB)', 'CPU OP/GH (memory)', 'CPU OP/GH (same DB)'];
  const lines = rows.map((row) => {
    const gatehouse = row.kind === 'gatehouse';
    const memory = gatehouse ? counterpart(rows, row, 'memory') : undefined;
    const sameDb = gatehouse ? counterpart(rows, row, row.db) : undefined;
    const mem = ratio(row.rps, memory?.rps);
    const same = ratio(row.rps, sameDb?.rps);
    row.ratioVsMemory = mem;
    row.ratioVsSameDb = same;
    // CPU per request, theirs over ours: how many times less server work Gatehouse does per request.
    row.cpuRatioVsMemory = ratio(memory?.cpuUs, row.cpuUs);
    row.cpuRatioVsSameDb = ratio(sameDb?.cpuUs, row.cpuUs);
    const scenario = row.scenario === 'code_flow' ? 'code_flow (flows/s)' : row.scenario;
    const rps = row.rps.toFixed(0) + (row.errors ? ` (${row.errors} err)` : '');
    const cpu = row.cpuUs ? `${row.cpuUs.toFixed(0)} µs` : '';
    return [scenario, row.server, rps, fmt(row.p50), fmt(row.p99), cpu, fmtRatio(mem), fmtRatio(same), fmtRatio(row.cpuRatioVsMemory), fmtRatio(row.cpuRatioVsSameDb)];
  });
  // oidc-provider has no /oauth/validate: say so in the table.
  if (rows.some((r) => r.scenario === 'validate') && rows.some((r) => r.kind === 'oidc-provider')) {
    const at = lines.findIndex((l) => l[0] === 'validate') ;
    if (at >= 0) lines.splice(at, 0, ['validate', 'oidc-provider (any)', 'n/a', '', '', '', '', '', '', '']);
  }
  return markdownTable(header, lines);
}

export const FLOOR = { id: 'floor', kind: 'floor', db: 'none', label: 'Floor (Hono, no storage)' };

/**
 * Every server against the floor measured in the same run: the share of the stack's limit it
 * reaches, the CPU it spends above it, and for oidc-provider the best Gatehouse / oidc-provider
 * ratio any server on this stack could reach (the floor's rate over oidc-provider's).
 */
export function floorRows(rows) {
  const lines = [];
  for (const row of rows) {
    if (row.kind === 'floor') continue;
    const floor = rows.find((r) => r.kind === 'floor' && r.scenario === row.scenario);
    if (!floor?.rps) continue;
    row.shareOfFloor = row.rps / floor.rps;
    row.cpuAboveFloorUs = row.cpuUs && floor.cpuUs ? row.cpuUs - floor.cpuUs : undefined;
    const ceiling = row.kind === 'oidc-provider' ? ratio(floor.rps, row.rps) : undefined;
    if (ceiling !== undefined) row.bestPossibleRatio = ceiling;
    lines.push([row.scenario, row.server, row.rps.toFixed(0), `${(row.shareOfFloor * 100).toFixed(0)} %`, row.cpuAboveFloorUs === undefined ? '' : `${row.cpuAboveFloorUs.toFixed(0)} µs`, fmtRatio(ceiling)]);
  }
  return lines;
}

/**
 * This build against the baseline build (`--baseline-dir`), scenario by scenario and database,
 * both measured in the same rounds: req/s (medians of the rounds), this / baseline, CPU per
 * request, and every round's rate. Sets `ratioVsBaseline` on this build's rows.
 */
export function baselineRows(rows) {
  const lines = [];
  const rates = (row) => (row.rounds ?? [row.rps]).map((rps) => rps.toFixed(0)).join(', ');
  for (const row of rows) {
    if (row.kind !== 'gatehouse' || row.baseline) continue;
    const base = rows.find((r) => r.baseline && r.scenario === row.scenario && r.db === row.db);
    if (!base) continue;
    row.ratioVsBaseline = ratio(row.rps, base.rps);
    const cpu = (r) => (r.cpuUs ? `${r.cpuUs.toFixed(0)} µs` : '');
    lines.push([row.scenario, row.db, row.rps.toFixed(0), base.rps.toFixed(0), fmtRatio(row.ratioVsBaseline), cpu(row), cpu(base), rates(row), rates(base)]);
  }
  return lines;
}

/** The half-rate p99 of this build against the baseline's, per database. */
export function baselineHalfRateRows(halfRate) {
  const lines = [];
  for (const h of halfRate) {
    if (h.baseline) continue;
    const base = halfRate.find((b) => b.baseline && b.db === h.db);
    if (base) lines.push([h.db, fmt(h.p99), fmt(base.p99), fmtRatio(ratio(h.p99, base.p99))]);
  }
  return lines;
}

export function markdownTable(header, lines) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmtLine = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  return [fmtLine(header), '| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |', ...lines.map(fmtLine)].join('\n');
}

export const TARGETS = [
  { scenario: 'client_credentials', min: 3 },
  { scenario: 'introspection', min: 3 },
  { scenario: 'validate', min: 3, note: 'vs oidc-provider introspection' },
  { scenario: 'code_flow', min: 2 },
  { scenario: 'refresh_rotation', min: 2 },
  { scenario: 'refresh_rotation_api', min: 2 },
];

export function evaluateTargets(rows, halfRate, growth) {
  const out = [];
  for (const t of TARGETS) {
    for (const row of rows.filter((r) => r.kind === 'gatehouse' && !r.baseline && r.scenario === t.scenario)) {
      for (const [against, value] of [['memory', row.ratioVsMemory], [`${row.db} (same DB)`, row.ratioVsSameDb]]) {
        if (value === undefined) continue;
        out.push({ target: `${t.scenario} ≥ ${t.min}×${t.note ? ` (${t.note})` : ''}`, server: row.server, against: `oidc-provider ${against}`, value: `${value.toFixed(2)}×`, met: value >= t.min });
      }
    }
  }
  for (const h of halfRate.filter((row) => !row.baseline)) out.push({ target: 'p99 /oauth/token < 20 ms at half max rate', server: h.server, against: `${h.rate}/s`, value: fmt(h.p99), met: h.p99 < 20 });
  for (const db of ['sqlite', 'postgres']) {
    for (const kind of ['access', 'refresh']) {
      const sizes = growth.filter((g) => g.db === db && g.kind === kind).sort((a, b) => a.tokens - b.tokens);
      if (sizes.length < 2) continue;
      const small = sizes[0];
      const big = sizes[sizes.length - 1];
      const change = big.rps / small.rps - 1;
      out.push({ target: `introspection (${kind} token) at 1 M rows within 20 % of 10 k`, server: big.server, against: `${small.tokens} → ${big.tokens} rows`, value: `${(change * 100).toFixed(1)} %`, met: change >= -0.2 });
    }
  }
  return out;
}
