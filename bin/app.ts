import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { silenceBundlingProgress } from '../lib/bundling.js';
import { ResultGateStack } from '../lib/resultgate-stack.js';
import { stageFromContext, withDomainsFromContext } from '../lib/stages.js';

/**
 * The CDK app: `npx cdk deploy -c stage=prod` (default stage `dev`), optionally `-c alarmEmail=ops@example.org`,
 * and a domain of the province's own: `-c apiDomain=api.example.gov.vn -c apiCertificateArn=arn:aws:acm:...`,
 * `-c webDomain=... -c webCertificateArn=arn:aws:acm:us-east-1:...` (README.md, "A domain of your own").
 * The stack is environment-agnostic: it deploys to the account and region of the caller's credentials.
 */
silenceBundlingProgress();
const app = new App();
const stage = withDomainsFromContext(stageFromContext(app.node.tryGetContext('stage')), (key) =>
  app.node.tryGetContext(key),
);
const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');

new ResultGateStack(app, `ResultGate-${stage.name}`, {
  stage,
  alarmEmail: typeof alarmEmail === 'string' ? alarmEmail : undefined,
  description: `ResultGate (${stage.name}): COVID-19 test results from labs to checkpoints`,
});

// cdk-nag 3 runs as a policy-validation plugin: synth fails on any unacknowledged AwsSolutions finding.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
