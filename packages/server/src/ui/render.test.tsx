/** @jsxImportSource hono/jsx */
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorPage, Layout, LoginPage, renderHtml } from './index.js';
import { AlertIcon, CheckIcon } from './components.js';

describe('renderHtml', () => {
  afterEach(() => vi.restoreAllMocks());

  it('renders pages with icons and a head without entering an AsyncLocalStorage', () => {
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = vi.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    const pages = [
      <Layout title={'<T & "q">'}>
        <CheckIcon class={'ok" onload="x'} />
        <AlertIcon />
      </Layout>,
      LoginPage({ action: '/login', csrfToken: 'c', clientName: 'App' }),
      ErrorPage({ status: 400, code: 'invalid_request', description: 'bad', homeUrl: '/' }),
      ErrorPage({ status: 404, code: 'not_found', heading: 'Page not found', description: 'Nothing here.', homeUrl: '/', console: true }),
    ];
    const rendered = pages.map((page) => renderHtml(page));
    expect(run).not.toHaveBeenCalled();
    expect(enterWith).not.toHaveBeenCalled();
    const [layout] = rendered;
    expect(layout).toContain('<head><meta charset="utf-8"/>');
    expect(layout).toContain('<title>&lt;T &amp; &quot;q&quot;&gt; · Gatehouse</title>');
    expect(layout).toContain('</head><body>');
    expect(layout).toContain('<svg class="ok&quot; onload=&quot;x" viewBox="0 0 16 16"');
    // The same body as hono/jsx's own rendering (which reorders <head>; pages.test.tsx compares every page).
    pages.forEach((page, i) => expect(rendered[i]!.split('</head>')[1]).toBe(String(page).split('</head>')[1]));
  });

  it('refuses an asynchronous component instead of sending a half-rendered page', () => {
    const Later = async () => <p>later</p>;
    expect(() => renderHtml(<div><Later /></div>)).toThrow(/synchronous/);
  });
});
