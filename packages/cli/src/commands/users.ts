/** `gatehouse users …`: user accounts. */
import { createUser } from '@gatehouse/server';
import { UsageError, str, required, readStdin, type Command, manageDeps } from '../framework.js';

export const usersCommands: Command[] = [
  {
    path: ['users', 'create'],
    summary: 'Create a user account',
    usage: 'gatehouse users create --username U (--password P | --password-stdin) [--email E] [--name N] [--admin]',
    details: 'Prefer --password-stdin: a password given as an argument is visible to other local users (ps).',
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      email: { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'boolean' },
    },
    async run(ctx) {
      const username = required(ctx, 'username');
      let password = str(ctx.values['password']);
      if (ctx.values['password-stdin'] === true) {
        if (password !== undefined) throw new UsageError('give either --password or --password-stdin, not both');
        password = await readStdin(ctx.io);
      }
      if (password === undefined) throw new UsageError('missing --password (or --password-stdin)');
      const input = { username, password, email: str(ctx.values['email']), name: str(ctx.values['name']), isAdmin: ctx.values['admin'] === true };
      return ctx.withStores(async (stores, config) => {
        const user = await createUser(manageDeps(stores, config), input);
        return {
          json: { id: user.id, username: user.username, email: user.email, name: user.name },
          human: `Created ${user.isAdmin ? 'admin ' : ''}user ${user.username} (id ${user.id})`,
        };
      });
    },
  },
];
