/**
 * The growth example (issue #20): prod's settings on two t3.small hosts, the database external
 * (Atlas or a replica set, URI in SSM), four gateway shards split 0-1 / 2-3. Synthesized here only
 * (bin/ never deploys it), with cdk-nag; staging and prod keep their single local host.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { externalDatabaseUriParameterName, secretParameterName, SECRET_NAMES } from '../../app/contracts/host';
import { ENVIRONMENTS, GROWTH_EXAMPLE, hostTuning } from '../../lib/config/environments';
import { AGENT_METRICS, AGENT_NAMESPACE } from '../../lib/constructs/cloudwatch-agent-config';
import { PATCH_DOCUMENT } from '../../lib/constructs/os-patching';
import { buildApp, onlyResource, resourcesOfType, templateFor } from './synth-fixture';

function growth() {
  const { app, built } = buildApp({ configs: [GROWTH_EXAMPLE], nag: true });
  const stack = built.stacks[0];
  if (!stack) throw new Error('no growth stack');
  return { app, stack, template: Template.fromStack(stack) };
}

/** The release document's shell lines with CloudFormation references shown as {Ref:<id>}. */
function releaseCommands(template: Template): string {
  const docs = Object.values(resourcesOfType(template, 'AWS::SSM::Document')).filter((d) =>
    JSON.stringify(d.Properties?.Name ?? '').includes('-Release'),
  );
  expect(docs).toHaveLength(1);
  return JSON.stringify(docs[0]?.Properties?.Content);
}

function decodedHostFiles(commands: string): string {
  return [...commands.matchAll(/echo '([A-Za-z0-9+/=]+)' \| base64 -d \| gunzip/g)]
    .map((m) => gunzipSync(Buffer.from(m[1] ?? '', 'base64')).toString('utf8'))
    .join('\n');
}

/** The release associations (not Patch Manager's, which runs AWS's own document). */
function releaseAssociations(template: Template) {
  return Object.values(resourcesOfType(template, 'AWS::SSM::Association')).filter(
    (a) => a.Properties?.Name !== PATCH_DOCUMENT,
  );
}

describe('growth example environment', () => {
  const { app, stack, template } = growth();

  it('passes cdk-nag with zero unacknowledged findings', () => {
    const report = JSON.parse(readFileSync(path.join(app.synth().directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
    };
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.violations).toEqual([]);
    expect(nag?.conclusion).toBe('success');
  }, 120_000);

  it('patches every host, one at a time', () => {
    const patching = Object.values(resourcesOfType(template, 'AWS::SSM::Association')).find(
      (a) => a.Properties?.Name === PATCH_DOCUMENT,
    );
    const refs: unknown[] = stack.host.instances.map((i): unknown => Stack.of(stack).resolve(i.instanceId));
    expect(refs).toHaveLength(2);
    expect(patching?.Properties?.Targets).toEqual([{ Key: 'InstanceIds', Values: refs }]);
    expect(patching?.Properties?.MaxConcurrency).toBe('1');
  });

  it('runs two t3.small hosts in two availability zones, with no data volume', () => {
    const instances = Object.values(resourcesOfType(template, 'AWS::EC2::Instance'));
    expect(instances).toHaveLength(2);
    for (const i of instances) expect(i.Properties?.InstanceType).toBe('t3.small');
    const subnets = instances.map((i) => JSON.stringify(i.Properties?.SubnetId));
    expect(new Set(subnets).size).toBe(2);
    expect(resourcesOfType(template, 'AWS::EC2::Volume')).toEqual({});
    expect(resourcesOfType(template, 'AWS::EC2::VolumeAttachment')).toEqual({});
    expect(stack.host.dataVolume).toBeUndefined();
  });

  it('lets the hosts read the Discord token and the MongoDB URI, not the mongod passwords', () => {
    const policies = JSON.stringify(resourcesOfType(template, 'AWS::IAM::Policy'));
    const param = (name: string) => `parameter${name}`;
    expect(policies).toContain(param(externalDatabaseUriParameterName('prod')));
    expect(policies).toContain(param(secretParameterName('prod', SECRET_NAMES.discordToken)));
    expect(policies).not.toContain(SECRET_NAMES.mongodbBotPassword);
    expect(policies).not.toContain(SECRET_NAMES.mongodbAdminPassword);
  });

  it('releases to both hosts one at a time, with the external mode, the shard plan and one backup host', () => {
    const associations = releaseAssociations(template);
    expect(associations).toHaveLength(1);
    const association = associations[0]?.Properties ?? {};
    expect(association.MaxConcurrency).toBe('1');
    const refs: unknown[] = stack.host.instances.map((i): unknown => Stack.of(stack).resolve(i.instanceId));
    expect(association.Targets).toEqual([{ Key: 'InstanceIds', Values: refs }]);
    const commands = releaseCommands(template);
    expect(commands).toContain('DATABASE_MODE=external');
    expect(commands).toContain('SHARD_COUNT=4');
    const [first, second] = refs.map((r) => JSON.stringify(r));
    expect(commands).toContain(`SHARD_RANGES=",${first},":0-1,",${second},":2-3`);
    expect(commands).toContain(`BACKUP_INSTANCE=",${first}`);
    expect(commands).not.toContain('DATA_VOLUME_ID');
  });

  it('watches CPU, CPU credits, memory, disk and the status check of every host, not only the first', () => {
    const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties ?? {});
    const refs: unknown[] = stack.host.instances.map((i): unknown => Stack.of(stack).resolve(i.instanceId));
    const perHost = [
      ['AWS/EC2', 'CPUUtilization'],
      ['AWS/EC2', 'CPUCreditBalance'],
      [AGENT_NAMESPACE, AGENT_METRICS.memoryUsedPercent],
      [AGENT_NAMESPACE, AGENT_METRICS.diskUsedPercent],
      ['AWS/EC2', 'StatusCheckFailed_Instance'],
    ] as const;
    const hostAlarms = alarms.filter((a) => JSON.stringify(a.Dimensions ?? []).includes('"InstanceId"'));
    expect(hostAlarms).toHaveLength(perHost.length * refs.length);
    for (const ref of refs) {
      for (const [namespace, metric] of perHost) {
        const found = hostAlarms.filter(
          (a) =>
            a.Namespace === namespace &&
            a.MetricName === metric &&
            JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'InstanceId', Value: ref }]),
        );
        expect({ ref, metric, count: found.length }).toEqual({ ref, metric, count: 1 });
      }
    }
    // Every alarm has its own name; the first host keeps the single-host names.
    const names = alarms.map((a) => a.AlarmName);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('gacha-bot-prod-cpu-high');
    expect(names).toContain('gacha-bot-prod-cpu-high-2');
    // The environment-wide alarms (bot metrics) exist once, same as prod.
    const prodCount = Object.keys(resourcesOfType(templateFor('prod'), 'AWS::CloudWatch::Alarm')).length;
    expect(alarms).toHaveLength(prodCount + perHost.length * (refs.length - 1));
  });

  it('reboots each host on its own failed status check', () => {
    const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties ?? {})
      .filter((a) => a.MetricName === 'StatusCheckFailed_Instance');
    expect(alarms).toHaveLength(2);
    for (const a of alarms) expect(JSON.stringify(a.AlarmActions)).toContain(':automate:');
  });

  it('gives the operator digest every host, for their OS update state', () => {
    const refs: unknown[] = stack.host.instances.map((i): unknown => Stack.of(stack).resolve(i.instanceId));
    const fn = Object.values(resourcesOfType(template, 'AWS::Lambda::Function')).find(
      (f) =>
        (f.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.DIGEST_LANGUAGES,
    );
    const variables = (fn?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.INSTANCE_IDS).toEqual({ 'Fn::Join': ['', [refs[0], ',', refs[1]]] });
  });

  it("sizes the bot's memory for a t3.small without mongod", () => {
    const tuning = hostTuning('t3.small', 'external');
    expect(GROWTH_EXAMPLE.tuning).toEqual(tuning);
    const files = decodedHostFiles(releaseCommands(template));
    expect(files).toContain(`MemoryMax=${tuning.botMemoryMaxMb}M`);
    expect(files).toContain(`--max-old-space-size=${tuning.botHeapMb}`);
    expect(tuning.botMemoryMaxMb).toBeGreaterThan(ENVIRONMENTS.prod.tuning.botMemoryMaxMb);
  });
});

/**
 * The dashboard body as the console gets it, with each CloudFormation reference written as
 * `<logical id>` (the body is an Fn::Join of JSON text and the instances' Refs).
 */
function dashboardBody(template: Template): DashboardWidget[] {
  const body = onlyResource(template, 'AWS::CloudWatch::Dashboard').properties.DashboardBody as
    string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1]
          .map((part) => (typeof part === 'string' ? part : `<${String((part as { Ref?: unknown }).Ref)}>`))
          .join(body['Fn::Join'][0]);
  return (JSON.parse(text) as { widgets: DashboardWidget[] }).widgets;
}

interface DashboardWidget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly metrics?: readonly (readonly unknown[])[];
    readonly query?: string;
  };
}

describe('growth example with its dashboard on', () => {
  const { app, built } = buildApp({ configs: [{ ...GROWTH_EXAMPLE, dashboard: true }], nag: true });
  const stack = built.stacks[0];
  if (!stack) throw new Error('no growth stack');
  const widgets = dashboardBody(Template.fromStack(stack));
  const hosts = stack.host.instances.map((i) => `<${(stack.resolve(i.instanceId) as { Ref: string }).Ref}>`);

  it('stays cdk-nag clean', () => {
    const report = JSON.parse(readFileSync(path.join(app.synth().directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
    };
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.violations).toEqual([]);
    expect(nag?.conclusion).toBe('success');
  }, 120_000);

  it("graphs every host's CPU, CPU credits, memory and disk, not only the first one's", () => {
    expect(hosts).toHaveLength(2);
    const graphed = widgets.flatMap((w) => (w.properties.metrics ?? []).map((m) => m.slice(0, 4).join(' ')));
    for (const host of hosts) {
      for (const [namespace, metric] of [
        ['AWS/EC2', 'CPUUtilization'],
        ['AWS/EC2', 'CPUCreditBalance'],
        [AGENT_NAMESPACE, AGENT_METRICS.memoryUsedPercent],
        [AGENT_NAMESPACE, AGENT_METRICS.diskUsedPercent],
      ] as const) {
        expect({
          host,
          metric,
          graphed: graphed.filter((g) => g === `${namespace} ${metric} InstanceId ${host}`).length,
        }).toEqual({
          host,
          metric,
          graphed: 1,
        });
      }
    }
    // Each host's graphs are titled with the host, the shards it owns and its instance id.
    const titles = widgets.map((w) => w.properties.title ?? '');
    expect(titles.filter((t) => t.startsWith(`Host 1 (shards 0-1, ${hosts[0] ?? ''}): `))).toHaveLength(3);
    expect(titles.filter((t) => t.startsWith(`Host 2 (shards 2-3, ${hosts[1] ?? ''}): `))).toHaveLength(3);
  });

  it('tables the process and gateway-shard figures per host from the logs (no extra billed series)', () => {
    const queries = widgets.filter((w) => w.type === 'log').map((w) => w.properties.query ?? '');
    const perProcess = queries.find((q) => q.includes("msg = 'metrics period'") && q.includes('by @logStream'));
    expect(perProcess).toBeDefined();
    const perShard = queries.find((q) => q.includes("msg = 'gateway shards'"));
    expect(perShard).toContain('by @logStream');
    // Two shards per host: both positions of the logged shards array are read.
    expect(perShard).toContain('shards.0.pingMs');
    expect(perShard).toContain('shards.1.pingMs');
  });
});

describe('staging and prod stay single local hosts', () => {
  it.each(['staging', 'prod'] as const)('%s: one t3.micro, its data volume, no growth lines in host.env', (name) => {
    const config = ENVIRONMENTS[name];
    expect(config).toMatchObject({ instanceType: 't3.micro', database: 'local', instanceCount: 1, shardCount: 1 });
    expect(config.tuning).toEqual(hostTuning('t3.micro', 'local'));
    const template = templateFor(name);
    const instances = Object.values(resourcesOfType(template, 'AWS::EC2::Instance'));
    expect(instances.map((i) => i.Properties?.InstanceType)).toEqual(['t3.micro']);
    expect(Object.keys(resourcesOfType(template, 'AWS::EC2::Volume'))).toHaveLength(1);
    const commands = releaseCommands(template);
    expect(commands).toContain('DATA_VOLUME_ID=');
    expect(commands).not.toMatch(/DATABASE_MODE|SHARD_COUNT|SHARD_RANGES|BACKUP_INSTANCE/);
    const association = releaseAssociations(template)[0]?.Properties ?? {};
    expect(association.MaxConcurrency).toBeUndefined();
  });
});
