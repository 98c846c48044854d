#!/usr/bin/env node
/**
 * CDK app: per environment its bot stack (plus prod's backup-copy vault) and its deploy-access
 * stack. An environment whose account/region lib/config/environments.ts names is pinned to it;
 * otherwise the CLI's account/region are used when it has credentials (`cdk deploy`), and the
 * stacks stay env-agnostic when it has none (`npm run synth`, offline). Either way the synth needs
 * no context lookup.
 */
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildGachaBotApp } from '../lib/gacha-bot-app';

const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
buildGachaBotApp(app, {
  bundleDir: path.resolve(__dirname, '..', 'dist', 'bot'),
  operatorEnv: process.env,
  env: { ...(account ? { account } : {}), ...(region ? { region } : {}) },
});
app.synth();
