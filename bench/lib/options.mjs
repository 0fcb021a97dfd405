/** The runner's options (see run.mjs), its log line, and the paths it works from. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bench/ directory. */
export const here = fileURLToPath(new URL('..', import.meta.url));
export const root = join(here, '..');

export const argv = process.argv.slice(2);
export const flag = (name) => argv.includes(`--${name}`);
export const option = (name, fallback) => {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
if (flag('help') || argv.includes('-h')) {
  console.log(`Usage: npm run bench -- [options]

  --quick               each scenario for ~1 s, growth at 10 000 tokens only (a smoke run)
  --duration=S          seconds per scenario (default 10)
  --connections=N       concurrent connections (default 10)
  --flows=N             concurrent code flows (default 8)
  --only=gatehouse|oidc-provider|floor
  --no-floor            skip the floor (bench/servers/floor.mjs: HTTP, form, random tokens and
                        the RS256 signature, nothing else), the baseline the servers are read against
  --scenarios=a,b       client_credentials,introspection,validate,refresh_rotation,refresh_rotation_api,userinfo,discovery,code_flow
  --growth=10000,1000000  stored-token counts for the growth test; --no-growth skips it
  --no-postgres         SQLite only
  --no-half-rate        skip the half-rate latency run after client_credentials
  --rounds=N            run every server N times over, round after round, and report the
                        measurement of median throughput per scenario and server (default 1)
  --baseline-dir=DIR    also run DIR's Gatehouse (another checkout, built there with npm ci &&
                        npm run build) beside this one, in the same rounds, and print each
                        scenario's ratio this build / baseline (e.g. a git worktree of an older commit)
  --profile             write --cpu-prof profiles under bench/results/profiles
  --no-write            do not write bench/results/<date>.json`);
  process.exit(0);
}
export const quick = flag('quick');
export const opts = {
  quick,
  duration: Number(option('duration', quick ? 1 : 10)),
  connections: Number(option('connections', 10)),
  flows: Number(option('flows', 8)),
  postgres: !flag('no-postgres'),
  floor: !flag('no-floor'),
  halfRate: !flag('no-half-rate'),
  growth: flag('no-growth') ? [] : option('growth', quick ? '10000' : '10000,1000000').split(',').map(Number),
  only: option('only', ''),
  scenarios: option('scenarios', '') ? option('scenarios', '').split(',') : undefined,
  rounds: Math.max(1, Number(option('rounds', 1))),
  baselineDir: option('baseline-dir', '') ? resolve(option('baseline-dir', '')) : undefined,
  profile: flag('profile'),
  write: !flag('no-write'),
  pgUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
};
export const started = Date.now();
export const log = (...parts) => console.error(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s]`, ...parts);

if (!existsSync(join(root, 'packages/server/dist/index.js'))) {
  console.error('packages/server/dist is missing: run `npx tsc -b packages/server` first');
  process.exit(1);
}
if (opts.baselineDir && !['packages/server/dist/index.js', 'bench/servers/gatehouse.mjs'].every((file) => existsSync(join(opts.baselineDir, file)))) {
  console.error(`--baseline-dir: ${opts.baselineDir} needs bench/servers/gatehouse.mjs and packages/server/dist (run \`npm ci && npm run build\` there)`);
  process.exit(1);
}
