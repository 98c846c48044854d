/**
 * Issue 14 item 1: `cdk deploy` with credentials pins the stacks to an account and region. The
 * synth must then still be offline (no context lookups) and cdk-nag clean, exactly as the
 * env-agnostic synth is, for any account id and any commercial region.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { buildGachaBotApp } from '../../lib/gacha-bot-app';
import { bundleDir, cdkContext } from './synth-fixture';

interface NagReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; violatingResources: { resourceLogicalId: string; locations: string[] }[] }[];
  }[];
}

function randomAccount(): string {
  return String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
}

function synthPinned(account: string, region: string): { report: NagReport; missing: unknown } {
  // Keep aws-cdk-lib's CloudFormation validation on here, as in the CI synth.
  const validation = process.env.CDK_VALIDATION;
  delete process.env.CDK_VALIDATION;
  try {
    return synthPinnedWithValidation(account, region);
  } finally {
    if (validation === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = validation;
  }
}

function synthPinnedWithValidation(account: string, region: string): { report: NagReport; missing: unknown } {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'gacha-pinned-'));
  const app = new App({ context: cdkContext(), outdir });
  buildGachaBotApp(app, { bundleDir: bundleDir(), env: { account, region } });
  let missing: unknown;
  try {
    missing = app.synth().manifest.missing;
  } catch {
    // cdk-nag errors fail the synth; the report below lists them.
  }
  const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as NagReport;
  return { report, missing };
}

describe('synth pinned to an account and region (what `cdk deploy` with credentials does)', () => {
  for (const region of ['us-east-1', 'ap-northeast-1']) {
    it(`is cdk-nag clean and needs no context lookup in ${region} with a random account`, () => {
      const account = randomAccount();
      const { report, missing } = synthPinned(account, region);
      expect(missing).toBeUndefined();
      const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
      const unacknowledged = (nag?.violations ?? []).map(
        (v) => `${v.ruleName} ${v.violatingResources.map((r) => r.resourceLogicalId).join(',')}`,
      );
      expect(unacknowledged).toEqual([]);
      expect(nag?.conclusion).toBe('success');
      const validate = report.pluginReports.find((r) => r.pluginName === 'CloudFormation Validate');
      expect(validate?.violations ?? ['no CloudFormation validation report']).toEqual([]);
    }, 120_000);
  }

  it('pins each environment to its own account when lib/config names one (one account per environment)', () => {
    const stagingAccount = randomAccount();
    const prodAccount = randomAccount();
    const app = new App({ context: cdkContext() });
    const built = buildGachaBotApp(app, {
      bundleDir: bundleDir(),
      nag: false,
      env: { account: '999999999999', region: 'eu-west-1' },
      configs: [
        { ...ENVIRONMENTS.staging, account: stagingAccount, region: 'ap-northeast-1' },
        { ...ENVIRONMENTS.prod, account: prodAccount, region: 'ap-northeast-1' },
      ],
    });
    const accountOf = (name: string) =>
      [...built.stacks, ...built.copyStacks, ...built.deployAccess].find((s) => s.stackName === name)?.account;
    expect(accountOf('GachaBot-staging')).toBe(stagingAccount);
    expect(accountOf('GachaBot-staging-deploy-access')).toBe(stagingAccount);
    expect(accountOf('GachaBot-prod')).toBe(prodAccount);
    expect(accountOf('GachaBot-prod-backup-copy')).toBe(prodAccount);
    expect(accountOf('GachaBot-prod-deploy-access')).toBe(prodAccount);
    // Separate accounts: prod's deploy access does not wait for staging's OIDC provider.
    const prodAccess = built.deployAccess.find((s) => s.stackName === 'GachaBot-prod-deploy-access');
    expect(prodAccess?.dependencies).toEqual([]);
    expect(app.synth().manifest.missing).toBeUndefined();
    expect(() =>
      buildGachaBotApp(new App(), {
        bundleDir: bundleDir(),
        nag: false,
        configs: [{ ...ENVIRONMENTS.staging, account: '12345' }],
      }),
    ).toThrow(/12 digits/);
  }, 120_000);
});
