/** `gatehouse scopes …`: the scope catalogue. */
import { readFile } from 'node:fs/promises';
import { createScope, importScopes, listScopes } from '@gatehouse/server';
import { required, positional, table, readStdin, type Command, manageDeps } from '../framework.js';

export const scopesCommands: Command[] = [
  {
    path: ['scopes', 'create'],
    summary: 'Add a scope to the catalogue',
    usage: 'gatehouse scopes create --name N --description D [--requires-workspace]',
    details: 'Names look like project:read; the description is shown on the consent screen (1-200 characters).',
    options: { name: { type: 'string' }, description: { type: 'string' }, 'requires-workspace': { type: 'boolean' } },
    async run(ctx) {
      const name = required(ctx, 'name');
      const description = required(ctx, 'description');
      return ctx.withStores(async (stores, config) => {
        const scope = await createScope(manageDeps(stores, config), { name, description, requiresWorkspace: ctx.values['requires-workspace'] === true });
        return {
          json: { name: scope.name, description: scope.description, requires_workspace: scope.requiresWorkspace },
          human: `Created scope ${scope.name}${scope.requiresWorkspace ? ' (requires a workspace)' : ''}`,
        };
      });
    },
  },
  {
    path: ['scopes', 'list'],
    summary: 'List the scope catalogue',
    usage: 'gatehouse scopes list',
    async run(ctx) {
      return ctx.withStores(async (stores, config) => {
        const scopes = await listScopes(manageDeps(stores, config));
        return {
          json: {
            scopes: scopes.map((s) => ({ name: s.name, description: s.description, requires_workspace: s.requiresWorkspace, builtin: s.builtin })),
          },
          human: table(
            ['NAME', 'WORKSPACE', 'BUILTIN', 'DESCRIPTION'],
            scopes.map((s) => [s.name, s.requiresWorkspace ? 'yes' : 'no', s.builtin ? 'yes' : 'no', s.description]),
          ),
        };
      });
    },
  },
  {
    path: ['scopes', 'import'],
    summary: 'Create or update scopes from a JSON file (idempotent)',
    usage: 'gatehouse scopes import FILE',
    details: 'FILE holds a JSON array of {"name", "description", "requires_workspace"} objects; "-" reads stdin.',
    positionals: ['FILE'],
    async run(ctx) {
      const file = positional(ctx, 0, 'FILE');
      let text: string;
      try {
        text = file === '-' ? await readStdin(ctx.io) : await readFile(file, 'utf8');
      } catch (error) {
        throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      return ctx.withStores(async (stores, config) => {
        const result = await importScopes(manageDeps(stores, config), text);
        return { json: { ...result }, human: `Imported scopes: ${result.created} created, ${result.updated} updated` };
      });
    },
  },
];
