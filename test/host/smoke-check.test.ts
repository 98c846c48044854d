/**
 * The deploy pipeline's smoke check end to end on one simulated host: `scripts/ci/smoke-check.sh`
 * and `run-ssm-document.sh` run for real with an `aws` shim that executes the health document's
 * commands (`gacha-bot-release status` + `health`) with the real release script in a sandbox.
 * A deploy is green only when the release it intended is the active, ready one.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { intendedReleaseId } from '../../scripts/ci/intended-release-id';
import { buildApp, stackNamed } from '../infra/synth-fixture';
import { type Sandbox, crash, run, sandbox } from './release-sandbox';

const repo = path.resolve(__dirname, '..', '..');

/** An `aws` CLI shim: stack outputs, and an SSM command that runs the health document in `s`. */
function awsShim(s: Sandbox): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gacha-aws-'));
  const out = path.join(dir, 'invocation');
  const shim = `#!/bin/bash
case "$1 $2" in
  "cloudformation describe-stacks")
    case "$*" in *InstanceId*) echo i-0123456789abcdef0 ;; *HealthDocument*) echo GachaBot-staging-Health ;; *) echo None ;; esac ;;
  "ssm send-command") echo cmd-1 ;;
  "ssm get-command-invocation")
    case "$*" in
      *"--query Status"*)
        if { bash '${s.script}' status && bash '${s.script}' health; } >'${out}.stdout' 2>'${out}.stderr'; then echo Success; else echo Failed; fi ;;
      *) printf '%s\\t%s\\n' "$(cat '${out}.stdout')" "$(cat '${out}.stderr')" ;;
    esac ;;
  *) echo "aws shim: unexpected $*" >&2; exit 2 ;;
esac
`;
  writeFileSync(path.join(dir, 'aws'), shim, { mode: 0o755 });
  return dir;
}

function smokeCheck(s: Sandbox, args: string[], env: NodeJS.ProcessEnv = {}): { status: number; out: string } {
  const result = spawnSync(path.join(repo, 'scripts/ci/smoke-check.sh'), ['GachaBot-staging', ...args], {
    cwd: repo,
    env: { ...s.env, ...env, PATH: `${awsShim(s)}:${s.env.PATH ?? ''}`, SSM_POLL_SECONDS: '0' },
    encoding: 'utf8',
  });
  return { status: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

describe('smoke check: green only when the intended release is live', () => {
  it('passes when the intended release is active and ready', () => {
    const s = sandbox();
    s.publish('r1', 'console.log(1)');
    expect(run(s, 'install', 'bucket', 'r1.zip', 'r1').status).toBe(0);
    const result = smokeCheck(s, ['r1']);
    expect(result.out).toMatch(/release r1 is active and ready \(as intended\)/);
    expect(result.status).toBe(0);
  });

  it('fails when the new release never got ready and the old one is still serving', () => {
    const s = sandbox();
    s.publish('r1', 'console.log(1)');
    s.publish('r2', 'BROKEN');
    expect(run(s, 'install', 'bucket', 'r1.zip', 'r1').status).toBe(0);
    expect(run(s, 'install', 'bucket', 'r2.zip', 'r2').status).not.toBe(0);
    // The health document alone is happy (r1 answers /readyz) — that used to be "green".
    const result = smokeCheck(s, ['r2']);
    expect(result.out).toMatch(/release r1 is active, but this deploy intended r2/);
    expect(result.status).not.toBe(0);
  });

  it('fails when the active slot is not running, whatever release it names', () => {
    const s = sandbox();
    s.publish('r1', 'console.log(1)');
    expect(run(s, 'install', 'bucket', 'r1.zip', 'r1').status).toBe(0);
    crash(s, 'blue');
    const result = smokeCheck(s, ['r1']);
    expect(result.out).toMatch(/health document failed/);
    expect(result.status).not.toBe(0);
  });

  it('accepts any active, ready release after a rollback to "the previous one"', () => {
    const s = sandbox();
    for (const id of ['r1', 'r2']) {
      s.publish(id, `console.log("${id}")`);
      expect(run(s, 'install', 'bucket', `${id}.zip`, id).status).toBe(0);
    }
    expect(run(s, 'rollback').status).toBe(0);
    expect(smokeCheck(s, ['']).status).toBe(0);
    expect(smokeCheck(s, ['r2']).status).not.toBe(0);
  });

  it('reads the intended release from the template the deploy executed', () => {
    const { app, built } = buildApp({ bundleSource: 'console.log("smoke")' });
    const stack = stackNamed(built, 'staging');
    const template = app.synth().getStackByName(stack.stackName).template as unknown;
    const id = intendedReleaseId(template);
    expect(id).toMatch(/^[a-f0-9]{16}$/);

    const s = sandbox();
    s.publish(id, 'console.log(1)');
    expect(run(s, 'install', 'bucket', `${id}.zip`, id).status).toBe(0);
    const cdkOut = mkdtempSync(path.join(os.tmpdir(), 'gacha-cdkout-'));
    mkdirSync(cdkOut, { recursive: true });
    writeFileSync(path.join(cdkOut, 'GachaBot-staging.template.json'), JSON.stringify(template));
    const result = smokeCheck(s, [], { CDK_OUT: cdkOut });
    expect(result.out).toMatch(new RegExp(`release ${id} is active and ready \\(as intended\\)`));
    expect(result.status).toBe(0);

    expect(smokeCheck(s, [], { CDK_OUT: mkdtempSync(path.join(os.tmpdir(), 'gacha-empty-')) }).status).not.toBe(0);
    expect(() => intendedReleaseId({ Resources: {} })).toThrow(/found 0/);
  });
});
