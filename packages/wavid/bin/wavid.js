#!/usr/bin/env node
// The installed command. It exists before the build, so installing links it on a fresh clone; the
// workspace's postinstall then builds dist/.
await import('../dist/cli.js');
