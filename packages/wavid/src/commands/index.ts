import type { Command } from '../cli/command.js';
import { checkCommand } from './check.js';
import { doctorCommand } from './doctor.js';
import { fixCommand } from './fix.js';
import { publishCommand } from './publish.js';
import { runCommand } from './run.js';
import { sendCommand } from './send.js';

/** Every `wavid` command, in the order `wavid --help` lists them. */
export const COMMANDS: readonly Command[] = [checkCommand, fixCommand, runCommand, publishCommand, sendCommand, doctorCommand];
