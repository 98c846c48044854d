/**
 * Synthesizes the real CDK app for assertions, with a stand-in bundle directory (the tests check
 * the infrastructure, not the bot) and cdk.json's feature flags, so templates match `cdk synth`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { DeployAccessConfig } from '../../lib/config/deploy-access';
import type { EnvironmentConfig } from '../../lib/config/environments';
import { type BuiltApp, buildGachaBotApp } from '../../lib/gacha-bot-app';
import type { GachaBotStack } from '../../lib/stacks/gacha-bot-stack';

// aws-cdk-lib's built-in CloudFormation validation costs seconds per template; the synth in CI keeps it.
process.env.CDK_VALIDATION = 'false';

const cdkJson = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

/** cdk.json's feature flags, so a test `App` synthesizes what `cdk synth` does. */
export function cdkContext(): Record<string, unknown> {
  return { ...cdkJson.context };
}

export function bundleDir(source = 'console.log("bot v1");\n'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gacha-bundle-'));
  writeFileSync(path.join(dir, 'index.js'), source);
  return dir;
}

export interface SynthOptions {
  readonly bundleSource?: string;
  readonly operatorEnv?: NodeJS.ProcessEnv;
  readonly configs?: readonly EnvironmentConfig[];
  readonly nag?: boolean;
  readonly deployAccess?: DeployAccessConfig;
  readonly costEstimate?: boolean;
}

export function buildApp(options: SynthOptions = {}): { app: App; built: BuiltApp } {
  const app = new App({ context: cdkJson.context });
  const built = buildGachaBotApp(app, {
    bundleDir: bundleDir(options.bundleSource),
    nag: options.nag ?? false,
    costEstimate: options.costEstimate ?? false,
    ...(options.operatorEnv ? { operatorEnv: options.operatorEnv } : {}),
    ...(options.configs ? { configs: options.configs } : {}),
    ...(options.deployAccess ? { deployAccess: options.deployAccess } : {}),
  });
  return { app, built };
}

export function stackNamed(built: BuiltApp, name: 'staging' | 'prod'): GachaBotStack {
  const stack = built.stacks.find((s) => s.stackName === `GachaBot-${name}`);
  if (!stack) throw new Error(`no stack for ${name}`);
  return stack;
}

const cache = new Map<string, Template>();

/** Template of one environment's stack (default operator settings, memoized per environment). */
export function templateFor(name: 'staging' | 'prod'): Template {
  const cached = cache.get(name);
  if (cached) return cached;
  const { built } = buildApp();
  for (const stack of built.stacks) cache.set(stack.stackName.replace('GachaBot-', ''), Template.fromStack(stack));
  const template = cache.get(name);
  if (!template) throw new Error(`no template for ${name}`);
  return template;
}

export type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export function resourcesOfType(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

export function onlyResource(template: Template, type: string): { id: string; properties: Record<string, unknown> } {
  const found = Object.entries(resourcesOfType(template, type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0] as [string, { Properties?: Record<string, unknown> }];
  return { id, properties: resource.Properties ?? {} };
}
