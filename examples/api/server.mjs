import { serve } from '@hono/node-server';
import { createApi } from './api.mjs';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`Set ${name} (see README.md)`);
  return value;
};

const api = createApi({
  issuer: env('GATEHOUSE_ISSUER', 'http://localhost:3000'),
  clientId: env('API_CLIENT_ID'),
  clientSecret: env('API_CLIENT_SECRET'),
});
const port = Number(env('PORT', '4001'));
serve({ fetch: api.fetch, port }, () => console.log(`Projects API on http://localhost:${port}`));
