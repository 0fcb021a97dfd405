import type { CoreDeps } from '../deps.js';

/** The workspaces a token reaches, in the order the user chose them. */
export async function workspacesOf(deps: CoreDeps, ids: readonly string[]): Promise<Array<{ id: string; slug: string; name: string }>> {
  if (ids.length === 0) return [];
  const found = await deps.stores.findWorkspacesByIds(ids);
  return ids.flatMap((id) => {
    const workspace = found.find((candidate) => candidate.id === id);
    return workspace ? [{ id: workspace.id, slug: workspace.slug, name: workspace.name }] : [];
  });
}
