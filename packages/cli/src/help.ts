/** The help texts: all commands, one group, one command. */
import { GLOBAL_HELP, type Command } from './framework.js';

export function topHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  return [
    'Usage: gatehouse <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    GLOBAL_HELP,
    '',
    "Run 'gatehouse <command> --help' for a command's options.",
  ].join('\n');
}

export function groupHelp(commands: readonly Command[], group: string): string {
  const members = commands.filter((c) => c.path[0] === group);
  const width = Math.max(...members.map((c) => c.path.join(' ').length));
  return [
    `Usage: gatehouse ${group} <${members.map((c) => c.path[1]).join('|')}> [options]`,
    '',
    ...members.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    GLOBAL_HELP,
  ].join('\n');
}

export function commandHelp(command: Command): string {
  return [`Usage: ${command.usage}`, '', command.summary + '.', ...(command.details ? ['', command.details] : []), '', GLOBAL_HELP].join('\n');
}

