/**
 * Four jest projects, picked from each test file's imports (test/support/test-projects.ts):
 * unit (in-process only), infra (CDK synthesis), integration (test database, loopback servers,
 * child processes) and e2e (the bundled bot as a process: end to end and the fault drills).
 * `npm test` runs them all; `npm run test:unit` / `test:infra` / `test:integration` / `test:e2e`
 * one each. Only integration and e2e have the global setup that starts the test database (e2e's
 * also builds the bot bundle), and jest runs it only when one of them has tests to run.
 */
const { register } = require('tsx/cjs/api');

// Loads the TypeScript classifier, then takes tsx's module hooks away again (they would stand in
// the way of jest's own transform of the global setup).
const tsx = register({ namespace: 'jest-config' });
const { classifyTests, splitByDatabase } = tsx.require('./test/support/test-projects.ts', __filename);

const byProject = classifyTests(__dirname);

/**
 * GACHA_TEST_PART (`.ci/run`): `without-database` keeps only the integration files that never
 * reach the test database (scripts with shims, loopback servers, Chromium; see
 * TestProjectClassifier.needsDatabase), with no global setup, so they run while FerretDB is still
 * being compiled; `with-database` keeps the other integration files. The two parts together are
 * the `integration` project. Unset: the whole project, as always. A file put in the first part
 * that did reach the database would fail (testMongoUri throws without the global setup), not pass.
 */
const part = process.env.GACHA_TEST_PART;
if (part !== undefined && part !== 'without-database' && part !== 'with-database') {
  throw new Error(`GACHA_TEST_PART must be without-database or with-database, not '${part}'`);
}
if (part !== undefined) {
  const { withDatabase, withoutDatabase } = splitByDatabase(__dirname, byProject.integration);
  byProject.integration = part === 'with-database' ? withDatabase : withoutDatabase;
}
tsx.unregister();

const database = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
// e2e: the same database, and the bot bundle built once for the run (not once per file).
const databaseAndBundle = {
  globalSetup: '<rootDir>/test/support/e2e-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/e2e-global-teardown.ts',
};

/** @param {'unit' | 'infra' | 'integration' | 'e2e'} name */
function project(name, extra = {}) {
  return {
    displayName: name,
    testEnvironment: 'node',
    setupFiles: ['<rootDir>/test/support/test-env.ts'],
    roots: ['<rootDir>/test'],
    // Exact paths; a pattern that matches nothing when the project has no files.
    testMatch: byProject[name].length > 0 ? byProject[name] : ['<rootDir>/test/**/no-such-file'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
      ],
    },
    // A dynamic import names its module with `.js` (TypeScript's node16 rule); the source is `.ts`.
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    ...extra,
  };
}

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    project('unit'),
    project('infra'),
    project('integration', part === 'without-database' ? {} : database),
    project('e2e', databaseAndBundle),
  ],
  // On a fresh clone, the e2e files (bundled bots, minutes) first: see the sequencer.
  testSequencer: '<rootDir>/test/support/test-sequencer.js',
  testTimeout: 60_000,
  maxWorkers: 2,
};
