/**
 * Makes FerretDB 1.24's lookups on PostgreSQL use indexes, as mongod's do, for the benchmarks.
 *
 * FerretDB keeps each collection as a table of one `jsonb` column and turns a MongoDB index into a
 * btree index on `(_jsonb -> 'field')`. But it sends an equality filter, `_id` included, as a
 * containment test, `_jsonb -> $1 @> $2`, which no btree index can answer: every `find` by `_id`
 * scans the whole table (measured in bench:e2e on 2,000 players: 1.7 scans of the read models per
 * interaction, 3,400 rows read each time; a mongod answers each from its `_id` index). Updates and
 * deletes by `_id` use `_jsonb -> '_id' = $1` and the btree index.
 *
 * So, for the leading top-level field of every index FerretDB made for a collection, this adds a GIN index on the same
 * expression (GIN answers `@>`), and has the database plan each statement with its parameters
 * (`plan_cache_mode = force_custom_plan`: `_jsonb -> $1` only matches the indexed expression once
 * `$1` is known). It changes no data and nothing FerretDB knows of; a benchmark that uses it says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

function psqlBinary(): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    for (const version of readdirSync(base).sort((a, b) => Number(b) - Number(a))) {
      const candidate = path.join(base, version, 'bin', 'psql');
      if (existsSync(candidate)) return candidate;
    }
  }
  return 'psql';
}

function sql(postgresqlUrl: string, statement: string): string {
  const result = spawnSync(psqlBinary(), [postgresqlUrl, '-v', 'ON_ERROR_STOP=1', '-Atc', statement], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr.trim() || result.error?.message}`);
  return result.stdout;
}

/**
 * Plans every statement of the database with its parameters; applies to connections opened
 * afterwards, so call it before FerretDB starts.
 */
export function planWithParameters(postgresqlUrl: string): void {
  sql(
    postgresqlUrl,
    `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database()); END $$`,
  );
}

/**
 * The leading field of each index FerretDB made for a collection of `schema` (a MongoDB database's
 * name) when it is a top-level field: what a mongod would use that index for in an equality lookup.
 * FerretDB's own metadata table is left alone.
 */
export function indexedFields(postgresqlUrl: string, schema: string): { table: string; field: string }[] {
  return leadingFields(
    sql(
      postgresqlUrl,
      `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = '${schema.replace(/'/g, "''")}' AND indexdef NOT LIKE '%USING gin%'`,
    ),
  );
}

/** `indexedFields` from psql's `tablename|indexdef` lines. */
export function leadingFields(rows: string): { table: string; field: string }[] {
  const found = new Map<string, { table: string; field: string }>();
  for (const line of rows.split('\n').filter(Boolean)) {
    const [table, definition] = line.split('|');
    if (!table || !definition || table.startsWith('_ferretdb')) continue;
    // The key list's first expression: `(_jsonb -> 'name'::text)` not followed by a further `->`.
    const leading = /USING btree \(+_jsonb -> '([^']+)'::text\)(?!\s*->)/.exec(definition);
    const field = leading?.[1];
    if (field) found.set(`${table}\u0000${field}`, { table, field });
  }
  return [...found.values()];
}

/** Adds the GIN twin of every indexed top-level field in `schema`; returns how many it made. */
export function indexLookups(postgresqlUrl: string, schema: string): number {
  let made = 0;
  for (const { table, field } of indexedFields(postgresqlUrl, schema)) {
    const name = `${table}_${field.replace(/[^A-Za-z0-9]/g, '')}_lookup`.slice(0, 63);
    const quotedField = field.replace(/'/g, "''");
    sql(
      postgresqlUrl,
      `CREATE INDEX IF NOT EXISTS "${name}" ON "${schema}"."${table}" USING gin ((_jsonb -> '${quotedField}'))`,
    );
    made++;
  }
  sql(postgresqlUrl, `ANALYZE`);
  return made;
}
