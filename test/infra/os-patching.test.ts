/**
 * OS security updates are SSM Patch Manager's: a weekly State Manager association of
 * AWS-RunPatchBaselineWithHooks (Install, RebootIfNeeded, the OS's default baseline) whose hooks
 * are our two Command documents calling the release tool's drain/resume, a read-only grant on
 * Patch Manager's AWS-owned buckets of the region and nothing more, and no patch unit on the host.
 */
import { Stack } from 'aws-cdk-lib';
import { SYSTEMD_UNITS, renderHostFiles } from '../../lib/constructs/release/host-files';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { PATCH_DOCUMENT, PATCH_HOOK_COMMANDS, PATCH_SCHEDULE } from '../../lib/constructs/os-patching';
import { buildApp, resourcesOfType, stackNamed, templateFor } from './synth-fixture';

type Doc = { Name: string; Content: { mainSteps: { inputs: { runCommand: string[] } }[] } };

describe('OS patching (SSM Patch Manager)', () => {
  for (const env of ['staging', 'prod'] as const) {
    const t = templateFor(env);

    it(`${env}: a weekly AWS-RunPatchBaselineWithHooks association that drains and resumes the bot`, () => {
      const associations = Object.values(resourcesOfType(t, 'AWS::SSM::Association')).filter(
        (a) => a.Properties?.Name === PATCH_DOCUMENT,
      );
      expect(associations).toHaveLength(1);
      const props = associations[0]?.Properties ?? {};
      expect(props.ScheduleExpression).toBe(PATCH_SCHEDULE);
      expect(PATCH_SCHEDULE).toMatch(/^cron\(\d+ \d+ \? \* (MON|TUE|WED|THU|FRI|SAT|SUN) \*\)$/);
      expect(props.ApplyOnlyAtCronInterval).toBe(true);
      expect(props.AssociationName).toBe(`GachaBot-${env}-os-patching`);
      const parameters = props.Parameters as Record<string, string[]>;
      // No baseline override and no patch group: the OS's default baseline (AL2023's).
      expect(Object.keys(parameters).sort()).toEqual(
        ['OnExitHookDocName', 'Operation', 'PostInstallHookDocName', 'PreInstallHookDocName', 'RebootOption'].sort(),
      );
      expect(parameters.Operation).toEqual(['Install']);
      expect(parameters.RebootOption).toEqual(['RebootIfNeeded']);
      const docs = Object.values(resourcesOfType(t, 'AWS::SSM::Document')).map((d) => d.Properties as unknown as Doc);
      const run = (name: string | undefined) =>
        docs.find((d) => d.Name === name)?.Content.mainSteps[0]?.inputs.runCommand;
      expect(run(parameters.PreInstallHookDocName?.[0])).toEqual(['set -euo pipefail', PATCH_HOOK_COMMANDS.drain]);
      expect(run(parameters.PostInstallHookDocName?.[0])).toEqual(['set -euo pipefail', PATCH_HOOK_COMMANDS.resume]);
      expect(parameters.OnExitHookDocName).toEqual(parameters.PostInstallHookDocName);
    });
  }

  it('the hooks call subcommands the installed release tool has', () => {
    const release = renderHostFiles(ENVIRONMENTS.prod.tuning).find(
      (f) => f.path === '/usr/local/sbin/gacha-bot-release',
    );
    for (const command of Object.values(PATCH_HOOK_COMMANDS)) {
      const sub = command.split(' ').at(-1) ?? '';
      expect(release?.content).toContain(`  ${sub}) lock; ${sub} ;;`);
    }
  });

  it('grants the host read-only access to Patch Manager buckets of its own region, nothing wider', () => {
    const { built } = buildApp();
    const stack = stackNamed(built, 'prod');
    const statements = Object.values(resourcesOfType(templateFor('prod'), 'AWS::IAM::Policy')).flatMap(
      (p) =>
        (p.Properties?.PolicyDocument as { Statement: { Sid?: string; Action: unknown; Resource: unknown }[] })
          .Statement,
    );
    const grant = statements.find((s) => s.Sid === 'PatchManagerBuckets');
    expect(grant?.Action).toBe('s3:GetObject');
    const rendered = JSON.stringify(Stack.of(stack).resolve(grant?.Resource));
    expect(rendered).toContain('aws-ssm-');
    expect(rendered).toContain('patch-baseline-snapshot-');
    expect((grant?.Resource as unknown[]).length).toBe(2);
    expect(JSON.stringify(grant?.Resource)).toContain('"Ref":"AWS::Region"');
  });

  it('leaves no OS patch unit on the host: every unit of ours is sandboxed', () => {
    expect(SYSTEMD_UNITS.filter((u) => u.includes('patch'))).toEqual([]);
    const files = renderHostFiles(ENVIRONMENTS.prod.tuning).map((f) => f.path);
    expect(files.filter((p) => p.includes('patch'))).toEqual([]);
  });
});
