/** The scenarios, each run against one server: client_credentials, introspection, validate, refresh rotation, userinfo, discovery, code flow. */
import { rmSync } from 'node:fs';
import { FIXTURE } from './lib/fixture.mjs';
import { Browser, FORM, basic, form, makeAgent, pkcePair, request } from './lib/http.mjs';
import { authorizeUrl, codeFrom, signIn, exchangeCode, oneFlow } from './lib/drivers.mjs';
import { cannon, loops, paced } from './lib/measure.mjs';
import { fmt } from './lib/report.mjs';
import { freshDatabase, startServer } from './lib/servers.mjs';
import { opts, log } from './lib/options.mjs';

export const SCENARIOS = ['client_credentials', 'introspection', 'validate', 'refresh_rotation', 'refresh_rotation_api', 'userinfo', 'discovery', 'code_flow'];
export const wanted = (name) => !opts.scenarios || opts.scenarios.includes(name);

export async function benchTarget(target, rows, halfRate) {
  const database = target.db === 'memory' || target.db === 'none' ? undefined : await freshDatabase(target.db, target.id);
  const server = await startServer(target, database, { profile: opts.profile && target.kind === 'gatehouse' });
  log(`${target.label}: up on ${server.origin} (pid ${server.pid})`);
  try {
    const { web, svc } = server.fixtures;
    const agent = makeAgent();
    const browser = new Browser(server.origin, agent);
    const first = await signIn(server, browser);
    const userTokens = await exchangeCode(server, agent, first.code, first.verifier);
    const record = (scenario, result, note) => {
      rows.push({ scenario, server: target.label, target: target.id, kind: target.kind, db: target.db, ...(target.baselineDir ? { baseline: true } : {}), ...result, ...(note ? { note } : {}) });
      log(`  ${scenario.padEnd(22)} ${result.rps.toFixed(0).padStart(7)} /s  p50 ${fmt(result.p50)}  p99 ${fmt(result.p99)}${result.cpuUs ? `  ${result.cpuUs.toFixed(0)} µs CPU/req` : ''}${result.driverCpuUs ? ` (load generator ${result.driverCpuUs.toFixed(0)} µs)` : ''}${result.errors ? `  errors ${result.errors}` : ''}`);
    };
    const url = (path) => server.origin + path;

    if (wanted('client_credentials')) {
      const options = {
        url: url(server.paths.token),
        method: 'POST',
        headers: { 'content-type': FORM, authorization: basic(svc.clientId, svc.clientSecret) },
        body: form({ grant_type: 'client_credentials', scope: FIXTURE.apiScope }),
      };
      const max = await cannon(options, { pid: server.pid });
      record('client_credentials', max);
      if (opts.halfRate && target.kind === 'gatehouse' && max.rps > 0) {
        const rate = Math.max(1, Math.floor(max.rps / 2));
        const half = await paced(rate, server.origin, { method: 'POST', path: options.url.slice(server.origin.length), headers: options.headers, body: options.body });
        halfRate.push({ server: target.label, target: target.id, db: target.db, ...(target.baselineDir ? { baseline: true } : {}), rate, ...half });
        log(`  client_credentials @ ${rate}/s (half max): p50 ${fmt(half.p50)}  p99 ${fmt(half.p99)}`);
      }
    }

    if (wanted('introspection')) {
      record(
        'introspection',
        await cannon({
          url: url(server.paths.introspect),
          method: 'POST',
          headers: { 'content-type': FORM, authorization: basic(web.clientId, web.clientSecret) },
          body: form({ token: userTokens.access_token, token_type_hint: 'access_token' }),
        }, { pid: server.pid }),
      );
    }

    if (wanted('validate') && server.paths.validate) {
      record('validate', await cannon({ url: url(server.paths.validate), headers: { authorization: `Bearer ${userTokens.access_token}` } }, { pid: server.pid }));
    }

    // refresh_rotation asks for `openid`, so each refresh also signs an ID token (RS256);
    // refresh_rotation_api is the same chain for an app that asked for no `openid` (an API
    // client, an agent): rotation without the signature.
    for (const [scenario, scope, idToken] of [
      ['refresh_rotation', FIXTURE.flowScope, true],
      ['refresh_rotation_api', FIXTURE.apiFlowScope, false],
    ]) {
      if (!wanted(scenario)) continue;
      // One refresh-token chain per connection, each from its own code redemption; every
      // request presents the token the previous response returned (no replays, checked).
      const chains = [];
      for (let i = 0; i < opts.connections; i++) {
        const { verifier, challenge } = pkcePair();
        const res = await browser.request(authorizeUrl(server, challenge, scope));
        chains.push((await exchangeCode(server, agent, codeFrom(res.location), verifier)).refresh_token);
      }
      if (chains.some((t) => !t)) throw new Error(`${target.label} issued no refresh token`);
      // autocannon clears a connection's context after every pass over `requests`, so it cannot
      // carry a token chain: a keep-alive loop per chain does, with the same client for both servers.
      let replays = 0;
      const used = new Set();
      const refreshAgent = makeAgent(opts.connections);
      const headers = { 'content-type': FORM, authorization: basic(web.clientId, web.clientSecret) };
      const result = await loops(
        opts.connections,
        async (i) => ({ token: chains[i] }),
        async (chain) => {
          if (used.has(chain.token)) replays++;
          used.add(chain.token);
          const res = await request(server.origin, { method: 'POST', path: server.paths.token, agent: refreshAgent, headers, body: form({ grant_type: 'refresh_token', refresh_token: chain.token }) });
          if (res.status !== 200) throw new Error(`refresh ${res.status}: ${res.body.slice(0, 200)}`);
          const body = JSON.parse(res.body);
          const next = body.refresh_token;
          if (!next || next === chain.token) throw new Error('refresh did not rotate');
          // Both servers must do the same work: a new access token, and a signed ID token exactly when `openid` was asked for.
          if (!body.access_token) throw new Error('refresh response lacks access_token');
          if (Boolean(body.id_token) !== idToken) throw new Error(`refresh response ${idToken ? 'lacks' : 'has'} an id_token`);
          chain.token = next;
        },
        server.pid,
      );
      refreshAgent.destroy();
      record(scenario, { ...result, replays }, `${opts.connections} sequential chains, custom node:http loop${replays ? `; ${replays} replays` : ''}`);
    }

    if (wanted('userinfo')) {
      record('userinfo', await cannon({ url: url(server.paths.userinfo), headers: { authorization: `Bearer ${userTokens.access_token}` } }, { pid: server.pid }));
    }

    if (wanted('discovery')) {
      record('discovery', await cannon({ url: url(server.paths.discovery) }, { pid: server.pid }));
    }

    if (wanted('code_flow')) {
      // Each of N concurrent loops is one signed-in browser with consent already given.
      const result = await loops(
        opts.flows,
        async () => {
          const b = new Browser(server.origin, makeAgent(4));
          const { code, verifier } = await signIn(server, b);
          await exchangeCode(server, b.agent, code, verifier);
          return b;
        },
        (b) => oneFlow(server, b),
        server.pid,
      );
      record('code_flow', result, `flows/s, ${opts.flows} concurrent flows`);
    }
    agent.destroy();
  } finally {
    await server.stop();
    if (database?.path) for (const suffix of ['', '-wal', '-shm']) rmSync(database.path + suffix, { force: true });
  }
}
