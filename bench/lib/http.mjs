/**
 * A small keep-alive HTTP client for the custom drivers (sign-in, code flow): node:http is far
 * cheaper per request than fetch, so the load generator steals less CPU from the server.
 */
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';

export function makeAgent(maxSockets = 64) {
  return new http.Agent({ keepAlive: true, maxSockets });
}

/** One request; never follows redirects. Resolves { status, headers, body }. */
export function request(origin, { method = 'GET', path = '/', headers = {}, body, agent } = {}) {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: body !== undefined ? { 'content-length': Buffer.byteLength(body), ...headers } : headers, agent },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export const form = (fields) => new URLSearchParams(fields).toString();
export const basic = (id, secret) => 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
export const FORM = 'application/x-www-form-urlencoded';

export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A browser-ish cookie jar over `request`, following same-origin redirects. */
export class Browser {
  constructor(origin, agent) {
    this.origin = origin;
    this.agent = agent;
    this.cookies = new Map();
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(res) {
    for (const line of [res.headers['set-cookie'] ?? []].flat()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1);
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(url, { method, formFields, headers = {} } = {}) {
    const absolute = new URL(url, this.origin);
    const body = formFields ? form(formFields) : undefined;
    const res = await request(absolute.origin, {
      method: method ?? (body !== undefined ? 'POST' : 'GET'),
      path: absolute.pathname + absolute.search,
      headers: { cookie: this.cookieHeader(), ...(body !== undefined ? { 'content-type': FORM } : {}), ...headers },
      body,
      agent: this.agent,
    });
    this.remember(res);
    return { ...res, url: absolute.href, location: res.headers.location };
  }

  /** Follows redirects while they stay on this origin; returns the first off-origin redirect or the final page. */
  async navigate(url, init) {
    let res = await this.request(url, init);
    for (let hops = 0; hops < 10 && res.location; hops++) {
      const next = new URL(res.location, res.url);
      if (next.origin !== this.origin) return res;
      res = await this.request(next.href);
    }
    return res;
  }

  /** Submits the page's form whose action contains `actionPart`, echoing its csrf_token. */
  async submit(page, actionPart, fields) {
    const forms = [...page.body.matchAll(/<form\b[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const found = forms.find((m) => decode(m[1]).includes(actionPart));
    if (!found) throw new Error(`no form with action containing ${actionPart} on ${page.url} (status ${page.status}):\n${page.body.slice(0, 1500)}`);
    const csrf = /name="csrf_token"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="csrf_token"/.exec(found[2]);
    const hidden = csrf ? { csrf_token: decode(csrf[1] ?? csrf[2] ?? '') } : {};
    return this.navigate(new URL(decode(found[1]), page.url).href, { formFields: { ...hidden, ...fields } });
  }
}

const decode = (v) => v.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
