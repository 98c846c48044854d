/**
 * `npm run bootstrap:policy [-- --account 123456789012] [--out FILE]` — writes the CloudFormation
 * execution policy for `cdk bootstrap --cloudformation-execution-policies` (default
 * cdk.out/bootstrap-execution-policy.json), generated from the synthesized templates of every
 * stack of the app (offline; a stand-in bot bundle is enough, resource types do not depend on it).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildGachaBotApp } from '../lib/gacha-bot-app';
import { bootstrapExecutionPolicy } from './lib/bootstrap-policy';
import type { CfnTemplate } from './lib/cost-model';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const account = option('--account') ?? '*';
if (account !== '*' && !/^\d{12}$/.test(account)) throw new Error('--account must be 12 digits');
const out = path.resolve(option('--out') ?? path.join('cdk.out', 'bootstrap-execution-policy.json'));

process.env.CDK_VALIDATION = 'false';
const bundleDir = mkdtempSync(path.join(os.tmpdir(), 'gacha-policy-bundle-'));
writeFileSync(path.join(bundleDir, 'index.js'), '');
const app = new App({ outdir: mkdtempSync(path.join(os.tmpdir(), 'gacha-policy-')) });
buildGachaBotApp(app, { bundleDir, nag: false });
const templates = app.synth().stacks.map((s) => s.template as CfnTemplate);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(bootstrapExecutionPolicy(templates, account), null, 2)}\n`);
process.stdout.write(`bootstrap:policy: wrote ${out}\n`);
