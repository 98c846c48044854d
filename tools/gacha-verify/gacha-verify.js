#!/usr/bin/env node
// `npx gacha-verify <export.json>`: runs the bundled verifier (npm run build:verifier), or the
// TypeScript source through tsx in a checkout where the bundle has not been built.
const path = require('node:path');
const fs = require('node:fs');

const bundled = path.join(__dirname, '..', '..', 'dist', 'verifier', 'gacha-verify.cjs');
if (fs.existsSync(bundled)) {
  require(bundled);
} else {
  require('tsx/cjs');
  require(path.join(__dirname, 'main.ts'));
}
