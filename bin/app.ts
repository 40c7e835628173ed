import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { silenceBundlingProgress } from '../lib/bundling.js';
import { ResultGateStack } from '../lib/resultgate-stack.js';
import { stageFromContext } from '../lib/stages.js';

/**
 * The CDK app: `npx cdk deploy -c stage=prod` (default stage `dev`), optionally `-c alarmEmail=ops@example.org`.
 * The stack is environment-agnostic: it deploys to the account and region of the caller's credentials.
 */
silenceBundlingProgress();
const app = new App();
const stage = stageFromContext(app.node.tryGetContext('stage'));
const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');

new ResultGateStack(app, `ResultGate-${stage.name}`, {
  stage,
  alarmEmail: typeof alarmEmail === 'string' ? alarmEmail : undefined,
  description: `ResultGate (${stage.name}): COVID-19 test results from labs to checkpoints`,
});

// cdk-nag 3 runs as a policy-validation plugin: synth fails on any unacknowledged AwsSolutions finding.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
