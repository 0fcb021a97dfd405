import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper without types
import { makeAgent, parseResponse, request } from './lib/http.mjs';

describe('parseResponse', () => {
  const head = 'HTTP/1.1 302 Found\r\nLocation: /next\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2\r\nContent-Length: 5\r\n\r\n';

  it('waits for the whole body, then gives status, lower-cased headers and set-cookie as a list', () => {
    expect(parseResponse(Buffer.from(head.slice(0, 20)))).toBeUndefined();
    expect(parseResponse(Buffer.from(head + 'hel'))).toBeUndefined();
    expect(parseResponse(Buffer.from(head + 'hello'))).toEqual({
      status: 302,
      headers: { location: '/next', 'set-cookie': ['a=1; Path=/', 'b=2'], 'content-length': '5' },
      body: 'hello',
    });
  });

  it('reads a chunked body, and only once its last chunk is in', () => {
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"a"\r\n5\r\n:"é"\r\n';
    expect(parseResponse(Buffer.from(chunked))).toBeUndefined();
    expect(parseResponse(Buffer.from(chunked + '1\r\n}\r\n0\r\n\r\n'))).toMatchObject({ status: 200, body: '{"a":"é"}' });
  });
});

describe('request', () => {
  let server: Server;
  let origin: string;
  const ports = new Set<number>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      ports.add(req.socket.remotePort!);
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        if (req.url === '/chunked') {
          res.write('part one, ');
          res.end('part two');
          return;
        }
        res.setHeader('set-cookie', ['s=1', 't=2']);
        res.end(JSON.stringify({ method: req.method, url: req.url, header: req.headers['x-test'], body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('sends method, path, headers and body, and reuses one keep-alive connection for sequential requests', async () => {
    const agent = makeAgent(4);
    ports.clear();
    for (let i = 0; i < 3; i++) {
      const res = await request(origin, { method: 'POST', path: `/echo?i=${i}`, headers: { 'x-test': 'yes' }, body: 'a=é', agent });
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toEqual(['s=1', 't=2']);
      expect(JSON.parse(res.body)).toEqual({ method: 'POST', url: `/echo?i=${i}`, header: 'yes', body: 'a=é' });
    }
    expect((await request(origin, { path: '/chunked', agent })).body).toBe('part one, part two');
    expect(ports.size).toBe(1);
    agent.destroy();
  });

  it('opens at most maxSockets connections; further requests wait for one', async () => {
    const agent = makeAgent(2);
    ports.clear();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => request(origin, { path: `/p${i}`, agent })));
    expect(results.map((res: { body: string }) => JSON.parse(res.body).url)).toEqual(Array.from({ length: 8 }, (_, i) => `/p${i}`));
    expect(ports.size).toBe(2);
    agent.destroy();
  });
});
