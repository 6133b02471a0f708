import { COMMANDS } from './commands/index.js';
import type { CommandIo } from './cli/command.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './cli/exit-codes.js';
import { UsageError } from './cli/usage-error.js';
import { WAVID_VERSION as version } from './version.js';
import { terminalText } from './cli/terminal-text.js';

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `wavid ${version}: make videos safe to send as WhatsApp video messages.

Usage: wavid <command> [options]

Commands:
${lines.join('\n')}

Run 'wavid <command> --help' for a command's options.
`;
}

/** Runs one command line and returns its exit code. Never throws: every failure becomes a message. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  if (!entry) {
    io.stderr.write(`wavid: unknown command '${terminalText(name)}'. Run 'wavid --help' for the list.\n`);
    return EXIT_USAGE;
  }
  if (entry.warmUp && !args.some((arg) => arg === '--help' || arg === '-h')) void entry.warmUp().catch(() => undefined);
  const command = await entry.load();
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`wavid ${command.name}: ${terminalText(error.message)}. Run 'wavid ${command.name} --help' for usage.\n`);
      return EXIT_USAGE;
    }
    if (io.signal.aborted) {
      io.stderr.write(`wavid ${command.name}: cancelled\n`);
      return 130;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? ` [${error.code}]` : '';
    io.stderr.write(`wavid ${command.name}: ${terminalText(message)}${terminalText(code)}\n`);
    return EXIT_FAILED;
  }
}
