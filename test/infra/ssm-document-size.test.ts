/**
 * SSM refuses a document whose content exceeds 64 KB, and the release document carries every host
 * file. Every SSM document of both environments must stay below a 56 KB margin, measured on the
 * content as SSM receives it (CloudFormation tokens resolved to generous stand-ins), and the
 * gzip+base64 lines that carry the host files must give back exactly the rendered files.
 */
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { SSM_DOCUMENT_LIMIT_BYTES, SSM_DOCUMENT_MARGIN_BYTES, installCommand } from '../../lib/constructs/release';
import { renderHostFiles } from '../../lib/constructs/release/host-files';
import { resourcesOfType, templateFor } from './synth-fixture';

/** The content as SSM gets it: every Ref/GetAtt/ImportValue replaced by a 128-character stand-in. */
function resolved(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(resolved);
  if (node !== null && typeof node === 'object') {
    const keys = Object.keys(node);
    if (keys.length === 1 && ['Ref', 'Fn::GetAtt', 'Fn::ImportValue', 'Fn::Select'].includes(keys[0] ?? '')) {
      return 'x'.repeat(128);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [sep, parts] = (node as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
      return parts.map((p) => String(resolved(p))).join(sep);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolved(v)]));
  }
  return node;
}

function documentBytes(content: unknown): number {
  return Buffer.byteLength(JSON.stringify(resolved(content)));
}

describe('SSM document size', () => {
  it('keeps a margin below the 64 KB limit', () => {
    expect(SSM_DOCUMENT_MARGIN_BYTES).toBeLessThanOrEqual(SSM_DOCUMENT_LIMIT_BYTES - 8 * 1024);
  });

  for (const env of ['staging', 'prod'] as const) {
    it(`${env}: every SSM document's content stays below ${SSM_DOCUMENT_MARGIN_BYTES / 1024} KB`, () => {
      const docs = Object.entries(resourcesOfType(templateFor(env), 'AWS::SSM::Document'));
      expect(docs.length).toBeGreaterThanOrEqual(5);
      for (const [id, doc] of docs) {
        const bytes = documentBytes(doc.Properties?.Content);
        if (bytes > SSM_DOCUMENT_MARGIN_BYTES) throw new Error(`${id} content is ${bytes} bytes`);
      }
      const release = docs.find(([id]) => id.startsWith('ReleaseReleaseDocument'));
      // The host files travel gzipped: the release document is well under half the limit.
      expect(documentBytes(release?.[1].Properties?.Content)).toBeLessThan(SSM_DOCUMENT_LIMIT_BYTES / 2);
    });
  }

  it('counts what a document really carries: a document padded past the margin is caught', () => {
    const padded = { mainSteps: [{ inputs: { runCommand: ['x'.repeat(SSM_DOCUMENT_MARGIN_BYTES)] } }] };
    expect(documentBytes(padded)).toBeGreaterThan(SSM_DOCUMENT_MARGIN_BYTES);
  });

  it('installs exactly the rendered host files (gzip+base64 decodes byte for byte, in node and in bash)', () => {
    const files = renderHostFiles(ENVIRONMENTS.prod.tuning);
    for (const file of files) {
      const line = installCommand(file);
      const b64 =
        /^echo '([A-Za-z0-9+/=]+)' \| base64 -d \| gunzip \| install -D -m (0644|0755) -o root -g root \/dev\/stdin '(.+)'$/.exec(
          line,
        );
      expect(b64?.[2]).toBe(file.mode);
      expect(b64?.[3]).toBe(file.path);
      expect(gunzipSync(Buffer.from(b64?.[1] ?? '', 'base64')).toString('utf8')).toBe(file.content);
    }
    const script = files.find((f) => f.path === '/usr/local/sbin/gacha-bot-release');
    if (!script) throw new Error('no release script');
    const shell = installCommand(script).replace(/\| install .*$/, '');
    expect(execFileSync('bash', ['-o', 'pipefail', '-c', shell], { encoding: 'utf8' })).toBe(script.content);
    // The same files give the same document on any machine (gzip mtime 0, OS byte fixed).
    expect(installCommand(script)).toBe(installCommand(script));
    expect(Buffer.from(/'([^']+)'/.exec(installCommand(script))?.[1] ?? '', 'base64')[9]).toBe(255);
  });
});
