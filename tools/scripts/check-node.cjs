// The Node.js version check that runs before every root command (`npm start`, `npm test`, …),
// as the root `preinstall`, and in `.ci/run`. Too old a Node otherwise fails late and cryptically
// (`npm ci` warns about dozens of EBADENGINE packages, then `npm start` dies with
// ERR_UNKNOWN_FILE_EXTENSION). The minimum is the root package.json `engines.node`, which a test
// (infra/test/node-version.test.ts) keeps equal to what the lockfile's dependencies need.
//
// CommonJS with no dependency and no recent syntax, so that it runs, and says what is needed,
// on the old Node versions it exists to turn away. Prints nothing and exits 0 when Node is new
// enough; otherwise prints one line to stderr and exits 1.
'use strict';

const { readFileSync } = require('fs');
const { join } = require('path');

const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
const range = String((packageJson.engines && packageJson.engines.node) || '');
const stated = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range);
if (!stated) {
  console.error('check-node: package.json engines.node must read ">=X.Y.Z", got ' + JSON.stringify(range));
  process.exit(1);
}
const minimum = stated.slice(1).map(Number);
const current = process.versions.node.split('.').map(Number);

let tooOld = false;
for (let i = 0; i < 3; i += 1) {
  if (current[i] !== minimum[i]) {
    tooOld = current[i] < minimum[i];
    break;
  }
}
if (tooOld) {
  console.error(
    'Shipshape needs Node ≥ ' +
      minimum.join('.') +
      ' (you have ' +
      process.versions.node +
      '). `nvm install` reads .nvmrc.',
  );
  process.exit(1);
}
