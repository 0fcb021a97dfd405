/** @jsxImportSource hono/jsx */
/**
 * Public profile pages, the target of the `profile` claim (OpenID Connect Core §5.1): the
 * username, display name, avatar and join date. Nothing private.
 */
import { errorBody, errors } from '../core/error-catalogue.js';
import type { Hono } from 'hono';
import type { CoreDeps } from '../core/deps.js';
import { Avatar, Layout, Time } from '../ui/components.js';
import { renderHtml } from '../ui/render.js';

export function mountProfiles(app: Hono, deps: CoreDeps): void {
  app.get('/users/:username', async (c) => {
    const found = await deps.stores.findUserByUsername(c.req.param('username'));
    if (!found || found.disabledAt !== null) return c.json(errorBody(errors.notFound.user), 404);
    const name = found.name ?? found.username;
    const page = (
      <Layout title={name}>
        <div class="profile">
          <Avatar name={name} logoUrl={found.picture} size="lg" />
          <h1>{name}</h1>
          <p class="muted">@{found.username}</p>
          <p class="muted">
            Member since <Time at={found.createdAt} />
          </p>
        </div>
      </Layout>
    );
    return c.html(renderHtml(page), 200, { 'Cache-Control': 'public, max-age=60' });
  });
}
