#!/usr/bin/env node
// The SDK warns on every run that its 2027 releases will need Node 22; that is not news for a CLI user today.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/src/cli/main.js');

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
