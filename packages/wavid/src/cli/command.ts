import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

/** What a command may touch: its streams, environment and cancel signal. Tests pass their own. */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** True when stdout is a terminal: colour and progress bars are drawn only then. */
  interactive: boolean;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C; every long operation takes it. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  /** The full `wavid <name> --help` text. */
  help: string;
  /** Returns the exit code. Throws UsageError for mistakes in the call. */
  run(args: string[], io: CommandIo): Promise<number>;
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Parsed option values: strings for string options (arrays when `multiple`), booleans for flags. */
export type OptionValues<T extends OptionsConfig> = {
  [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : T[K]['multiple'] extends true ? string[] : string;
} & { help?: boolean };

export interface CommandLine<T extends OptionsConfig> {
  values: OptionValues<T>;
  positionals: string[];
}

/** node:util parseArgs in strict mode, with its errors turned into one-line usage errors. */
export function parseCommandLine<T extends OptionsConfig>(args: string[], options: T): CommandLine<T> {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/, ''));
  }
}
