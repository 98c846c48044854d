/**
 * Sorts the test files into jest projects by what they start, read from their imports, so that a
 * new test lands in the right project without a list to maintain:
 *
 * - `e2e`: starts the esbuild bundle as a process (`startBot`, `buildBundle`): bot end to end, drills;
 * - `integration`: opens the test database, starts the Discord simulator or another loopback
 *   server, or runs child processes (scripts, shell, a headless browser);
 * - `infra`: synthesizes the CDK app (imports `aws-cdk-lib`);
 * - `unit`: none of these — in-process code only, no database, no sockets, no child processes.
 *
 * A test file's project is the heaviest one among its value imports (`import type` does not
 * count). A helper module under `test/` (any non-test file) passes on the project of its own
 * imports, except the harness modules listed in MARKERS, where only the named entry points count
 * (importing `FAKE_TOKEN` from `test/e2e/bot-process` does not start a bot).
 *
 * Only `integration` and `e2e` start the test database (jest runs a project's globalSetup only when
 * that project has tests to run), so `npm run test:unit` never starts it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const PROJECTS = ['unit', 'infra', 'integration', 'e2e'] as const;
export type Project = (typeof PROJECTS)[number];

const weight = (project: Project): number => PROJECTS.indexOf(project);
const heavier = (a: Project, b: Project): Project => (weight(a) >= weight(b) ? a : b);

interface Marker {
  /** A package specifier, or a repository-relative module path without extension. */
  readonly module: string | RegExp;
  /** Only these imported names count; absent: any value import counts. */
  readonly names?: readonly string[];
  readonly project: Project;
  /** Opens or starts the test database (or a server of its own): see `TestProjectClassifier.needsDatabase`. */
  readonly database?: true;
}

export const MARKERS: readonly Marker[] = [
  { module: 'test/e2e/bot-process', names: ['startBot', 'buildBundle'], project: 'e2e', database: true },
  {
    module: 'test/support/test-database',
    names: ['openTestDatabase', 'testMongoUri'],
    project: 'integration',
    database: true,
  },
  {
    module: 'test/support/mongo-server',
    names: ['startMongoServer', 'startFerretdb'],
    project: 'integration',
    database: true,
  },
  { module: 'test/discord-simulator/discord-simulator', names: ['DiscordSimulator'], project: 'integration' },
  { module: 'test/discord-simulator/use-simulator', names: ['useSimulator'], project: 'integration' },
  { module: 'app/observability/health-server', names: ['startHealthServer'], project: 'integration' },
  { module: /^(node:)?(child_process|http|https|net|http2)$/, project: 'integration' },
  { module: /^ws$/, project: 'integration' },
  // A browser is a child process (Chromium, through playwright-core).
  { module: /^playwright-core(\/|$)/, project: 'integration' },
  { module: /^aws-cdk-lib(\/|$)/, project: 'infra' },
];

interface ImportRecord {
  readonly specifier: string;
  /** Value names imported; `['*']` for a namespace, default, side-effect, require or dynamic import. */
  readonly names: readonly string[];
}

const STRING_OR_COMMENT = /('(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
const STATIC_IMPORT = /(?:^|[;\n])\s*import\s+(type\s+)?([^'"]*?)\s*from\s*['"]([^'"]+)['"]/g;
const SIDE_EFFECT_IMPORT = /(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g;
const RE_EXPORT = /(?:^|[;\n])\s*export\s+(type\s+)?[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g;
const DYNAMIC_IMPORT = /\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Value names of an import clause (`a, { b, type C, d as e }`, `* as f`); `*` for default or namespace. */
function clauseNames(clause: string): string[] {
  const names: string[] = [];
  const braces = /\{([\s\S]*)\}/.exec(clause);
  const outside = clause
    .replace(/\{[\s\S]*\}/, '')
    .replace(/,/g, ' ')
    .trim();
  if (outside.length > 0) names.push('*');
  for (const element of (braces?.[1] ?? '').split(',')) {
    const trimmed = element.trim();
    if (trimmed.length === 0 || /^type\s/.test(trimmed)) continue;
    names.push(trimmed.split(/\s+as\s+/)[0] ?? trimmed);
  }
  return names;
}

/**
 * The value imports of a TypeScript source (type-only imports left out), read with regular
 * expressions after comments are removed: loading the TypeScript compiler in the jest config
 * would cost every run a third of a second.
 */
export function valueImports(source: string): ImportRecord[] {
  const code = source.replace(STRING_OR_COMMENT, (_match, literal: string | undefined) => literal ?? ' ');
  const records: ImportRecord[] = [];
  for (const [, typeOnly, clause = '', specifier = ''] of code.matchAll(STATIC_IMPORT)) {
    const names = typeOnly ? [] : clauseNames(clause);
    if (names.length > 0) records.push({ specifier, names });
  }
  for (const [, specifier = ''] of code.matchAll(SIDE_EFFECT_IMPORT)) records.push({ specifier, names: ['*'] });
  for (const [, typeOnly, specifier = ''] of code.matchAll(RE_EXPORT)) {
    if (!typeOnly) records.push({ specifier, names: ['*'] });
  }
  for (const [, specifier = ''] of code.matchAll(DYNAMIC_IMPORT)) records.push({ specifier, names: ['*'] });
  return records;
}

function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) =>
    statSync(candidate, { throwIfNoEntry: false })?.isFile(),
  );
}

export class TestProjectClassifier {
  private readonly cache = new Map<string, Project>();
  private readonly databaseCache = new Map<string, boolean>();

  constructor(private readonly rootDir: string) {}

  /**
   * Whether a test file (or a helper module) reaches the test database: imports an entry point of
   * a marker flagged `database` (test-database, mongo-server, bot-process), directly or through
   * helpers under test/. Such a file needs the integration/e2e global setup's server; the others
   * (scripts with shims, loopback servers, Chromium) do not, and `.ci/run` runs them before
   * FerretDB is compiled (GACHA_TEST_PART in jest.config.js).
   */
  needsDatabase(file: string, visiting: ReadonlySet<string> = new Set()): boolean {
    const cached = this.databaseCache.get(file);
    if (cached !== undefined) return cached;
    const inner = new Set([...visiting, file]);
    const needs = valueImports(readFileSync(file, 'utf8')).some((record) => {
      const { marker, resolved, key } = this.resolveImport(file, record);
      if (marker) return marker.database === true && this.counts(marker, record);
      if (resolved && key.startsWith('test/') && !inner.has(resolved)) return this.needsDatabase(resolved, inner);
      return false;
    });
    this.databaseCache.set(file, needs);
    return needs;
  }

  private resolveImport(
    fromFile: string,
    record: ImportRecord,
  ): { readonly marker: Marker | undefined; readonly resolved: string | undefined; readonly key: string } {
    const relative = record.specifier.startsWith('.');
    const resolved = relative ? resolveRelative(fromFile, record.specifier) : undefined;
    const key = resolved
      ? path.relative(this.rootDir, resolved).split(path.sep).join('/').replace(/\.ts$/, '')
      : record.specifier;
    const marker = MARKERS.find((m) => (typeof m.module === 'string' ? m.module === key : m.module.test(key)));
    return { marker, resolved, key };
  }

  private counts(marker: Marker, record: ImportRecord): boolean {
    const { names } = marker;
    return !names || record.names.some((name) => name === '*' || names.includes(name));
  }

  /** The project of a test file (or of a helper module, for what importing it brings along). */
  projectOf(file: string, visiting: ReadonlySet<string> = new Set()): Project {
    const cached = this.cache.get(file);
    if (cached) return cached;
    let project: Project = 'unit';
    for (const record of valueImports(readFileSync(file, 'utf8'))) {
      project = heavier(project, this.projectOfImport(file, record, new Set([...visiting, file])));
    }
    this.cache.set(file, project);
    return project;
  }

  private projectOfImport(fromFile: string, record: ImportRecord, visiting: ReadonlySet<string>): Project {
    const { marker, resolved, key } = this.resolveImport(fromFile, record);
    if (marker) return this.counts(marker, record) ? marker.project : 'unit';
    // Follow helpers under test/ only: app/, lib/ and scripts/ are the code under test.
    if (resolved && key.startsWith('test/') && !visiting.has(resolved)) return this.projectOf(resolved, visiting);
    return 'unit';
  }
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.isFile() && entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every test file under `<rootDir>/test`, by project. */
export function classifyTests(rootDir: string): Record<Project, string[]> {
  const classifier = new TestProjectClassifier(rootDir);
  const byProject: Record<Project, string[]> = { unit: [], infra: [], integration: [], e2e: [] };
  for (const file of testFiles(path.join(rootDir, 'test')).sort()) byProject[classifier.projectOf(file)].push(file);
  return byProject;
}

/** The given files split by whether they reach the test database (see `needsDatabase`). */
export function splitByDatabase(
  rootDir: string,
  files: readonly string[],
): { readonly withDatabase: string[]; readonly withoutDatabase: string[] } {
  const classifier = new TestProjectClassifier(rootDir);
  const withDatabase: string[] = [];
  const withoutDatabase: string[] = [];
  for (const file of files) (classifier.needsDatabase(file) ? withDatabase : withoutDatabase).push(file);
  return { withDatabase, withoutDatabase };
}
