#!/usr/bin/env node
import { main } from './cli/main.js';

// The AWS SDK warns on every run under Node 20 about its own future support; wavid states its Node range itself.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
