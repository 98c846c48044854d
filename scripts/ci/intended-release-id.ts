/**
 * `tsx scripts/ci/intended-release-id.ts cdk.out/GachaBot-<env>.template.json`
 *
 * Prints the release id a deploy intended: the `ReleaseId` parameter of the stack's release
 * association in the very template `cdk deploy` just deployed. The smoke check then requires the
 * instance to report exactly this release as active and ready.
 */
import { readFileSync } from 'node:fs';

interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: { readonly Parameters?: Record<string, unknown> };
}

export function intendedReleaseId(template: unknown): string {
  const resources = (template as { Resources?: Record<string, TemplateResource> } | null)?.Resources ?? {};
  const ids = Object.values(resources)
    .filter((r) => r.Type === 'AWS::SSM::Association')
    .map((r) => r.Properties?.Parameters?.ReleaseId)
    .filter((v) => v !== undefined);
  if (ids.length !== 1) throw new Error(`expected one release association with a ReleaseId, found ${ids.length}`);
  const value = ids[0];
  const id = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : undefined;
  if (typeof id !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(id)) {
    throw new Error(`the release association's ReleaseId is not a literal release id: ${JSON.stringify(value)}`);
  }
  return id;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: intended-release-id.ts <template.json>\n');
    process.exit(2);
  }
  try {
    process.stdout.write(`${intendedReleaseId(JSON.parse(readFileSync(file, 'utf8')))}\n`);
  } catch (error) {
    process.stderr.write(`intended-release-id: ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
