import { leadingFields } from '../../scripts/lib/ferretdb-pg-lookups';

describe('FerretDB lookup indexes for the benchmarks', () => {
  it("takes each FerretDB index's leading top-level field, never its metadata table nor a nested path", () => {
    const rows = [
      `_ferretdb_database_metadata|CREATE UNIQUE INDEX m_id ON s._ferretdb_database_metadata USING btree (((_jsonb -> '_id'::text)))`,
      `users_5e7cc513|CREATE UNIQUE INDEX u_id ON s.users_5e7cc513 USING btree (((_jsonb -> '_id'::text)))`,
      `users_5e7cc513|CREATE INDEX u_g ON s.users_5e7cc513 USING btree (((_jsonb -> 'guildId'::text)), ((_jsonb -> 'totalPulls'::text)) DESC)`,
      `users_5e7cc513|CREATE INDEX u_s ON s.users_5e7cc513 USING btree ((((_jsonb -> 'state'::text) -> 'x'::text)))`,
      `ledger_1|CREATE UNIQUE INDEX l_id ON s.ledger_1 USING btree (((_jsonb -> '_id'::text)))`,
      '',
    ].join('\n');
    expect(leadingFields(rows)).toEqual([
      { table: 'users_5e7cc513', field: '_id' },
      { table: 'users_5e7cc513', field: 'guildId' },
      { table: 'ledger_1', field: '_id' },
    ]);
  });
});
