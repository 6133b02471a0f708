#!/usr/bin/env node
import { main } from './cli/main.js';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // A second Ctrl-C leaves at once; the first lets running work clean up its temporary files.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort(new Error('interrupted'));
});

const exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  interactive: process.stdout.isTTY,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = exitCode;
