/**
 * The operator digest in the synthesized prod template: the function with its environment, two
 * schedules (weekly, monthly with `{ "kind": "monthly" }`), least-privilege IAM; staging has none.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { METRICS_NAMESPACE } from '../../app/contracts/metrics';
import { DIGEST_SCHEDULES } from '../../lib/constructs/operator-digest';
import { type CfnTemplate, PRICES, priceTemplate, total } from '../../scripts/lib/cost-model';
import { buildApp, resourcesOfType, stackNamed, templateFor } from './synth-fixture';

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

describe('operator digest', () => {
  const prod = templateFor('prod');

  it('runs the digest Lambda weekly and monthly through EventBridge Scheduler', () => {
    prod.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          GACHA_ENV: 'prod',
          DIGEST_LANGUAGES: 'ja,en',
          INSTANCE_ID: Match.anyValue(),
          INSTANCE_IDS: { Ref: Match.stringLikeRegexp('^HostInstance') },
          ACCESS_LOG_GROUP: Match.anyValue(),
          ERROR_LOG_GROUP: Match.anyValue(),
          APP_LOG_GROUP: Match.anyValue(),
          TOPIC_ARN: Match.anyValue(),
          WEBHOOK_PARAMETER: '/gacha-bot/prod/alarm-webhook-url',
        }),
      },
    });
    for (const [kind, expression] of Object.entries(DIGEST_SCHEDULES)) {
      prod.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: expression,
        Target: Match.objectLike({ Input: JSON.stringify({ kind }) }),
      });
    }
    templateFor('staging').resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Environment: { Variables: Match.objectLike({ DIGEST_LANGUAGES: Match.anyValue() }) } },
      0,
    );
  });

  it('may only read metrics, query its three log groups, read cost, publish to its topic and count its failures', () => {
    const policies = Object.values(prod.findResources('AWS::IAM::Policy')) as {
      Properties: { PolicyDocument: { Statement: Statement[] } };
    }[];
    const statements = policies
      .map((p) => p.Properties.PolicyDocument.Statement)
      .find((s) => s.some((x) => x.Sid === 'QueryOwnLogGroups'));
    if (!statements) throw new Error('no digest policy');
    const bySid: Record<string, Statement> = Object.fromEntries(statements.map((s) => [s.Sid ?? '', s]));
    expect(Object.keys(bySid).sort()).toEqual([
      'CountOwnFailures',
      'OwnLogs',
      'PublishDigest',
      'QueryOwnLogGroups',
      'ReadHostPatchStates',
      'ReadMetricsQueryResultsAndCost',
      'ReadWebhookUrl',
    ]);
    // Patch Manager's per-host summary: exactly one read-only action (it has no resource-level
    // permissions), and no ec2:DescribeInstances — the stack passes the instance ids.
    expect(bySid.ReadHostPatchStates).toEqual({
      Sid: 'ReadHostPatchStates',
      Effect: 'Allow',
      Action: 'ssm:DescribeInstancePatchStates',
      Resource: '*',
    });
    expect(JSON.stringify(statements)).not.toContain('ec2:');
    expect((bySid.QueryOwnLogGroups?.Resource as unknown[]).length).toBe(3);
    expect(JSON.stringify(bySid.QueryOwnLogGroups?.Resource)).not.toContain('*');
    expect(bySid.CountOwnFailures?.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } });
    expect(bySid.PublishDigest?.Action).toBe('sns:Publish');
    expect(JSON.stringify(statements)).not.toMatch(/"(logs|cloudwatch|sns|ssm|ce):\*"/);
  });
});

describe('operator digest cost estimate', () => {
  it('gets COST_ESTIMATE_USD from npm run cost’s model, priced from prod’s own template at synth', () => {
    const { built } = buildApp({ costEstimate: true });
    const withEstimate = Template.fromStack(stackNamed(built, 'prod'));
    const fn = Object.values(resourcesOfType(withEstimate, 'AWS::Lambda::Function')).find(
      (f) =>
        (f.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.DIGEST_LANGUAGES,
    );
    const variables = (fn?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    const prices = PRICES['us-east-1'];
    if (!prices) throw new Error('no prices');
    // Env-agnostic prod: us-east-1 list prices (no account of its own configured, so no free tier).
    const expected = total(priceTemplate(templateFor('prod').toJSON() as CfnTemplate, prices));
    expect(variables.COST_ESTIMATE_USD).toBe(expected.toFixed(2));
    expect(Number(variables.COST_ESTIMATE_USD)).toBeLessThanOrEqual(16);
    // The figure is the one the cost report prints: the estimate does not change what it prices.
    expect(total(priceTemplate(withEstimate.toJSON() as CfnTemplate, prices)).toFixed(2)).toBe(expected.toFixed(2));
  }, 120_000);
});
