// Runs a TypeScript entry point in a child process, compiled on the fly by SWC as jest does:
//   node test/support/run-ts.js <entry.ts> [args…]
// Used by tests that must kill a real process (SIGKILL) to prove what survives a crash.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: { target: 'es2023', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

const entry = resolve(process.argv[2]);
process.argv.splice(2, 1);
require(entry);
