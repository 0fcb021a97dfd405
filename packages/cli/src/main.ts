/**
 * The `gatehouse` command. Every command prints human-readable text by default and exactly one
 * JSON object with `--json` (errors included), so scripts can rely on stdout; failures also get
 * one line on stderr and a non-zero exit status (1: the operation failed, 2: usage error).
 */
import { parseArgs } from 'node:util';
import { clientsCommands } from './commands/clients.js';
import { keysCommands } from './commands/keys.js';
import { migrateCommands } from './commands/migrate.js';
import { purgeCommands } from './commands/purge.js';
import { scopesCommands } from './commands/scopes.js';
import { serveCommands } from './commands/serve.js';
import { usersCommands } from './commands/users.js';
import { workspacesCommands } from './commands/workspaces.js';
import { createContext } from './context.js';
import { errorField, errorKind, oneLine } from './errors.js';
import { UsageError, globalOptions, type CliIo, type Command, type Output, type Values } from './framework.js';
import { commandHelp, groupHelp, topHelp } from './help.js';

export type { CliIo } from './framework.js';

/** In help order. */
const commands: Command[] = [
  ...serveCommands,
  ...migrateCommands,
  ...purgeCommands,
  ...usersCommands,
  ...workspacesCommands,
  ...scopesCommands,
  ...clientsCommands,
  ...keysCommands,
];

const groups = [...new Set(commands.filter((c) => c.path.length === 2).map((c) => c.path[0]))];

/** Splits leading command words from options; global options may come before the command. */
function splitCommand(argv: string[]): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  let i = 0;
  for (; i < argv.length && words.length < 2; i++) {
    const arg = argv[i]!;
    if (arg === '--database' || arg === '--key-file') {
      rest.push(arg, ...(i + 1 < argv.length ? [argv[++i]!] : []));
    } else if (arg === '--json' || arg === '--help' || arg === '-h' || arg.startsWith('--database=') || arg.startsWith('--key-file=')) {
      rest.push(arg);
    } else if (arg.startsWith('-')) {
      break;
    } else {
      words.push(arg);
      if (words.length === 1 && !groups.includes(arg)) {
        i++;
        break;
      }
    }
  }
  return { words, rest: [...rest, ...argv.slice(i)] };
}

const defaultIo = (): CliIo => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  stdin: process.stdin,
  shutdownSignal: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
});

/** Runs the CLI and returns the exit status. Never throws. */
export async function main(argv: string[], ioOverrides: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = { ...defaultIo(), ...ioOverrides };
  const wantsJson = argv.includes('--json');
  let command: Command | undefined;
  try {
    const { words, rest } = splitCommand(argv);
    const wantsHelp = rest.includes('--help') || rest.includes('-h');
    const [first, second] = words;
    if (first === undefined || (first === 'help' && second === undefined)) {
      if (wantsHelp || first === 'help') return print(io, wantsJson, { json: { usage: topHelp(commands) }, human: topHelp(commands) });
      throw new UsageError('missing command');
    }
    if (groups.includes(first) && second === undefined) {
      if (wantsHelp) return print(io, wantsJson, { json: { usage: groupHelp(commands, first) }, human: groupHelp(commands, first) });
      throw new UsageError(`missing ${first} subcommand (${commands.filter((c) => c.path[0] === first).map((c) => c.path[1]).join(', ')})`);
    }
    command = commands.find((c) => c.path[0] === first && c.path[1] === (c.path.length === 2 ? second : undefined));
    if (!command) throw new UsageError(`unknown command "${words.join(' ')}"`);
    if (wantsHelp) return print(io, wantsJson, { json: { usage: commandHelp(command) }, human: commandHelp(command) });

    let parsed: { values: Values; positionals: string[] };
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...globalOptions, ...command.options },
        allowPositionals: true,
        strict: true,
      }) as { values: Values; positionals: string[] };
    } catch (error) {
      throw new UsageError(oneLine(error).replace(/ To specify a positional argument.*$/, ''));
    }
    const expected = command.positionals ?? [];
    if (parsed.positionals.length > expected.length) {
      throw new UsageError(`unexpected argument "${parsed.positionals[expected.length]}"`);
    }
    const values = parsed.values;
    const json = values['json'] === true;
    const ctx = createContext(io, json, values, parsed.positionals);
    const output = await command.run(ctx);
    if (command.path[0] === 'serve') return 0;
    return print(io, json, output);
  } catch (error) {
    const message = oneLine(error);
    const kind = errorKind(error);
    if (wantsJson) {
      const field = errorField(error);
      io.stdout(`${JSON.stringify({ error: kind, message, ...(field === undefined ? {} : { field }) })}\n`);
    }
    const hint = error instanceof UsageError ? ` (see 'gatehouse ${command ? command.path.join(' ') + ' ' : ''}--help')` : '';
    io.stderr(`gatehouse: ${message}${hint}\n`);
    return kind === 'usage' ? 2 : 1;
  }
}

function print(io: CliIo, json: boolean, output: Output): number {
  io.stdout(json ? `${JSON.stringify(output.json)}\n` : output.human === '' ? '' : `${output.human}\n`);
  return 0;
}