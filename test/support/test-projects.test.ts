import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classifyTests, splitByDatabase, valueImports } from './test-projects';

const repoRoot = path.resolve(__dirname, '../..');

describe('valueImports', () => {
  it('reads value imports and leaves type-only imports, comments and strings out', () => {
    const source = [
      "import type { Db } from 'mongodb';",
      "import { type DiscordSimulator, simSnowflake as id } from '../discord-simulator/discord-simulator';",
      'import {',
      '  openTestDatabase,',
      '  type TestDatabase,',
      "} from '../support/test-database';",
      "import path from 'node:path';",
      "import * as fs from 'node:fs';",
      "import 'side-effect';",
      "// import { startBot } from '../e2e/bot-process';",
      "/* import { startFerretdb } from '../support/mongo-server'; */",
      'const text = "import { x } from \'not-an-import\'";',
      "export { thing } from './re-exported';",
      "export type { Other } from './types-only';",
      "const later = await import('./dynamic');",
    ].join('\n');
    expect(valueImports(source)).toEqual([
      { specifier: '../discord-simulator/discord-simulator', names: ['simSnowflake'] },
      { specifier: '../support/test-database', names: ['openTestDatabase'] },
      { specifier: 'node:path', names: ['*'] },
      { specifier: 'node:fs', names: ['*'] },
      { specifier: 'side-effect', names: ['*'] },
      { specifier: './re-exported', names: ['*'] },
      { specifier: './dynamic', names: ['*'] },
    ]);
  });
});

describe('classifyTests', () => {
  it('puts the repository tests where their imports say', () => {
    const byProject = classifyTests(repoRoot);
    const relative = (files: readonly string[]) => files.map((f) => path.relative(repoRoot, f));
    expect(relative(byProject.unit)).toEqual(
      expect.arrayContaining(['test/domain/pull-engine.test.ts', 'test/observability/logger.test.ts']),
    );
    expect(relative(byProject.infra)).toEqual(expect.arrayContaining(['test/infra/iam.test.ts']));
    expect(relative(byProject.integration)).toEqual(
      expect.arrayContaining(['test/storage/smoke.test.ts', 'test/storage/exactly-once.test.ts']),
    );
    // Browser tests start Chromium (a child process): never in the in-process unit project.
    expect(relative(byProject.integration)).toEqual(
      expect.arrayContaining(['test/studio/studio.browser.test.ts', 'test/fairness/verifier-page.test.ts']),
    );
    expect(relative(byProject.unit)).not.toContain('test/studio/studio.browser.test.ts');
    expect(relative(byProject.e2e)).toEqual(
      expect.arrayContaining(['test/drills/fault-drills.test.ts', 'test/e2e/bot.e2e.test.ts']),
    );
  });

  it('follows helpers under test/, counts only the entry points of harness modules, and ignores types', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'test-projects-'));
    try {
      const write = (file: string, content: string) => {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), content);
      };
      write(
        'test/support/test-database.ts',
        "import { MongoClient } from 'mongodb';\nexport function openTestDatabase() {}",
      );
      write('test/e2e/bot-process.ts', "import { spawn } from 'node:child_process';\nexport const FAKE_TOKEN = 'x';");
      write('test/things/fixture.ts', "import { openTestDatabase } from '../support/test-database';");
      write('test/things/uses-fixture.test.ts', "import { fixture } from './fixture';");
      write('test/things/fixture-type-only.test.ts', "import type { Fixture } from './fixture';");
      write('test/things/token-only.test.ts', "import { FAKE_TOKEN } from '../e2e/bot-process';");
      write('test/things/starts-bot.test.ts', "import { FAKE_TOKEN, startBot } from '../e2e/bot-process';");
      write('test/things/spawns.test.ts', "import { execFileSync } from 'node:child_process';");
      write('test/things/synth.test.ts', "import { Template } from 'aws-cdk-lib/assertions';");
      write('test/things/cycle-a.test.ts', "import { b } from './cycle-b';");
      write('test/things/cycle-b.ts', "import { a } from './cycle-a.test';\nimport { createServer } from 'node:http';");
      const byProject = classifyTests(root);
      const names = (files: readonly string[]) => files.map((f) => path.basename(f)).sort();
      expect(names(byProject.unit)).toEqual(['fixture-type-only.test.ts', 'token-only.test.ts']);
      expect(names(byProject.infra)).toEqual(['synth.test.ts']);
      expect(names(byProject.integration)).toEqual(['cycle-a.test.ts', 'spawns.test.ts', 'uses-fixture.test.ts']);
      expect(names(byProject.e2e)).toEqual(['starts-bot.test.ts']);
      // Of the integration files, those that reach the test database (through a helper too)…
      const { withDatabase, withoutDatabase } = splitByDatabase(root, byProject.integration);
      expect(names(withDatabase)).toEqual(['uses-fixture.test.ts']);
      // …and those that do not: a loopback server, a child process.
      expect(names(withoutDatabase)).toEqual(['cycle-a.test.ts', 'spawns.test.ts']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('splits the repository integration tests by the test database, the two parts making the whole', () => {
    const { integration } = classifyTests(repoRoot);
    const { withDatabase, withoutDatabase } = splitByDatabase(repoRoot, integration);
    const relative = (files: readonly string[]) => files.map((f) => path.relative(repoRoot, f));
    expect([...withDatabase, ...withoutDatabase].sort()).toEqual([...integration].sort());
    expect(relative(withDatabase)).toEqual(
      expect.arrayContaining(['test/storage/exactly-once.test.ts', 'test/backup/db-migrate-cli.test.ts']),
    );
    expect(relative(withoutDatabase)).toEqual(
      expect.arrayContaining(['test/host/host-setup.test.ts', 'test/studio/studio.browser.test.ts']),
    );
  });
});
