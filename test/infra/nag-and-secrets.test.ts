import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { aws_s3 as s3 } from 'aws-cdk-lib';
import { buildApp, stackNamed } from './synth-fixture';

/** Patterns of things that must never be in a template: tokens, credentials, webhook URLs, keys. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /[MNO][A-Za-z\d_-]{23,27}\.[\w-]{6}\.[\w-]{27,38}/, // Discord bot token
  /mongodb(\+srv)?:\/\/[^/\s:"]+:[^@\s"]+@/, // connection string with a password
  /discord(app)?\.com\/api\/webhooks\/\d+\/[\w-]+/, // webhook URL with its token
  /AKIA[0-9A-Z]{16}/, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

describe('cdk-nag AwsSolutions checks', () => {
  it('pass with zero unacknowledged findings, every acknowledgement naming a rule and a reason', () => {
    const { app } = buildApp({ nag: true });
    const assembly = app.synth();
    const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: {
        pluginName: string;
        conclusion: string;
        violations: unknown[];
        suppressedViolations?: { ruleName: string; acknowledgedId: string; reason: string }[];
      }[];
    };
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('success');
    expect(nag?.violations).toEqual([]);
    const acknowledged = nag?.suppressedViolations ?? [];
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const finding of acknowledged) {
      expect(finding.acknowledgedId).toBe(`AwsSolutions::${finding.ruleName}`);
      expect(finding.ruleName).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(finding.reason.length).toBeGreaterThan(40);
    }
  }, 120_000);

  it('fails the synth when a construct breaks a rule (the plugin is really wired in)', () => {
    const { app, built } = buildApp({ nag: true });
    new s3.Bucket(stackNamed(built, 'staging'), 'CarelessBucket');
    expect(() => app.synth()).toThrow(/Validation failed|AwsSolutions/);
  }, 120_000);
});

describe('no secret in any synthesized template', () => {
  it('finds no token, password, webhook URL or key in either environment, even with secrets in the environment', () => {
    const planted = {
      DISCORD_TOKEN: 'MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB',
      MONGODB_URI: 'mongodb://gacha-bot:hunter2-very-secret@127.0.0.1:27017/gacha',
      ALARM_WEBHOOK_URL: 'https://discord.com/api/webhooks/123456789012345678/secret-webhook-token-value',
    };
    const saved = { ...process.env };
    Object.assign(process.env, planted);
    try {
      const { app } = buildApp({ operatorEnv: { ...process.env } });
      const dir = app.synth().directory;
      const templates = readdirSync(dir).filter((f) => f.endsWith('.template.json'));
      expect(templates.length).toBe(5);
      for (const file of templates) {
        const text = readFileSync(path.join(dir, file), 'utf8');
        for (const value of Object.values(planted)) expect(text).not.toContain(value);
        expect(text).not.toContain('hunter2');
        for (const pattern of SECRET_PATTERNS) expect(text).not.toMatch(pattern);
        const resources = (
          JSON.parse(text) as { Resources: Record<string, { Type: string; Properties?: { Type?: string } }> }
        ).Resources;
        for (const resource of Object.values(resources)) {
          if (resource.Type === 'AWS::SSM::Parameter') expect(resource.Properties?.Type).toBe('String');
        }
      }
    } finally {
      process.env = saved;
    }
  });

  it('recognises the planted values with its own patterns (the scan can fail)', () => {
    expect('x MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB y').toMatch(
      SECRET_PATTERNS[0] as RegExp,
    );
    expect('"mongodb://u:p@h/db"').toMatch(SECRET_PATTERNS[1] as RegExp);
    expect('https://discord.com/api/webhooks/1/abc').toMatch(SECRET_PATTERNS[2] as RegExp);
  });
});
