#!/usr/bin/env node
import { main } from './cli/main.js';

// The AWS SDK warns on every run under Node 20 about its own future support; wavid states its Node range itself.
// The commands, and the SDK with them, are imported only when one runs, so after this line.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const controller = new AbortController();
let interrupted = false;
// Ctrl-C, a CI cancel, `timeout` and a closed terminal all stop the work the same way: ffmpeg is killed
// and temporary files removed. A second signal leaves at once.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort(new Error(`interrupted by ${signal}`));
  });
}

// A reader that stops early (`wavid run ... | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  interactive: process.stdout.isTTY,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = exitCode;
