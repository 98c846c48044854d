/**
 * Writes docs/catalog.schema.json, the JSON Schema of a catalog file, generated from the zod schema
 * the bot validates with (one source). `npm run catalog:schema`; a test checks the committed file
 * equals a fresh generation.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { catalogJsonSchema } from '../app/domain/catalog';

export const SCHEMA_PATH = resolve(__dirname, '..', 'docs', 'catalog.schema.json');

/** The file's text: plain `JSON.stringify` with two-space indent (the file is in .prettierignore). */
export function catalogSchemaText(): string {
  return `${JSON.stringify(catalogJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(SCHEMA_PATH, catalogSchemaText());
  console.log(`wrote ${SCHEMA_PATH}`);
}
