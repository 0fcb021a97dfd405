import { serve } from '@hono/node-server';
import { createWebApp } from './app.mjs';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`Set ${name} (see README.md)`);
  return value;
};

const port = Number(env('PORT', '4000'));
const app = createWebApp({
  issuer: env('GATEHOUSE_ISSUER', 'http://localhost:3000'),
  clientId: env('CLIENT_ID'),
  clientSecret: env('CLIENT_SECRET'),
  redirectUri: env('REDIRECT_URI', `http://localhost:${port}/callback`),
  apiUrl: env('API_URL', 'http://localhost:4001'),
});
serve({ fetch: app.fetch, port }, () => console.log(`Web app on http://localhost:${port}`));
