/**
 * A small keep-alive HTTP/1.1 client for the custom drivers (sign-in, refresh chains, code flow,
 * the paced run): requests are written as one string on a raw socket and responses parsed by
 * hand, as autocannon does. node:http costs ~3× more CPU per request, and on a two-core machine
 * the load generator's CPU is taken from the server under test, more so the faster it is.
 */
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';

/** A pool of keep-alive connections to one origin; at most `maxSockets` open, further requests wait. */
export function makeAgent(maxSockets = 64) {
  return new Pool(maxSockets);
}

/** Idle connections older than this are closed rather than reused: servers drop idle ones (Node's default keep-alive timeout is 5 s). */
const IDLE_REUSE_MS = 4000;
const HEAD_END = Buffer.from('\r\n\r\n');

class Pool {
  constructor(maxSockets) {
    this.maxSockets = maxSockets;
    this.open = 0;
    this.idle = [];
    this.waiting = [];
    this.destroyed = false;
  }

  async acquire(hostname, port) {
    while (this.idle.length > 0) {
      const connection = this.idle.pop();
      if (connection.alive && performance.now() - connection.idleSince < IDLE_REUSE_MS) return connection;
      connection.close();
    }
    if (this.open >= this.maxSockets) return new Promise((resolve) => this.waiting.push(resolve)).then(() => this.acquire(hostname, port));
    this.open++;
    const connection = new Connection(hostname, port, () => {
      this.open--;
      this.waiting.shift()?.();
    });
    return connection;
  }

  release(connection) {
    if (this.destroyed || !connection.alive) return connection.close();
    connection.idleSince = performance.now();
    this.idle.push(connection);
    this.waiting.shift()?.();
  }

  destroy() {
    this.destroyed = true;
    for (const connection of this.idle.splice(0)) connection.close();
  }
}

/** One socket, one request at a time (no pipelining). */
class Connection {
  constructor(hostname, port, onClose) {
    this.alive = true;
    this.pending = undefined;
    this.chunks = [];
    this.socket = net.connect({ host: hostname, port, noDelay: true });
    this.socket.on('data', (chunk) => this.receive(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => {
      this.alive = false;
      this.fail(new Error('connection closed before the response ended'));
      onClose();
    });
  }

  send(raw) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.chunks = [];
      this.socket.write(raw);
    });
  }

  receive(chunk) {
    if (!this.pending) return;
    this.chunks.push(chunk);
    const data = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks);
    this.chunks = [data];
    const response = parseResponse(data);
    if (!response) return;
    const { resolve } = this.pending;
    this.pending = undefined;
    this.chunks = [];
    if (response.headers.connection === 'close') this.alive = false;
    resolve(response);
  }

  fail(error) {
    if (!this.pending) return;
    const { reject } = this.pending;
    this.pending = undefined;
    reject(error);
  }

  close() {
    this.alive = false;
    this.socket.destroy();
  }
}

/** A whole response in `data` as { status, headers, body }, or undefined while more is to come. Lower-cased header names; set-cookie as an array. */
export function parseResponse(data) {
  const headEnd = data.indexOf(HEAD_END);
  if (headEnd < 0) return undefined;
  const lines = data.toString('latin1', 0, headEnd).split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const value = lines[i].slice(colon + 1).trim();
    if (name === 'set-cookie') (headers[name] ??= []).push(value);
    else headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const bodyStart = headEnd + HEAD_END.length;
  if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
    const parts = [];
    let at = bodyStart;
    for (;;) {
      const lineEnd = data.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(data.toString('latin1', at, lineEnd), 16);
      if (size === 0) {
        // No trailers are sent by the servers measured here: the last chunk ends with an empty line.
        if (data.length < lineEnd + 4) return undefined;
        return { status, headers, body: Buffer.concat(parts).toString('utf8') };
      }
      if (data.length < lineEnd + 2 + size + 2) return undefined;
      parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = status === 204 || status === 304 ? 0 : Number(headers['content-length'] ?? 0);
  if (data.length < bodyStart + length) return undefined;
  return { status, headers, body: data.toString('utf8', bodyStart, bodyStart + length) };
}

/** One request on a connection of `agent` (makeAgent); never follows redirects. Resolves { status, headers, body }. */
export async function request(origin, { method = 'GET', path = '/', headers = {}, body, agent }) {
  const url = new URL(origin);
  let raw = `${method} ${path} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  for (const name in headers) raw += `${name}: ${headers[name]}\r\n`;
  if (body !== undefined) raw += `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  else raw += '\r\n';
  const connection = await agent.acquire(url.hostname, Number(url.port || 80));
  try {
    const response = await connection.send(raw);
    agent.release(connection);
    return response;
  } catch (error) {
    connection.close();
    throw error;
  }
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
