import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, CfnElement, type PolicyViolation, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ResultGateStack } from '../../lib/resultgate-stack.js';
import { type StageConfig, type StageName, stages } from '../../lib/stages.js';
import { makeTempDirSync } from '../support/temp.js';

export interface Synthesized {
  /** The cloud assembly folder (bundled function code lands in its `asset.*` folders). */
  readonly outdir: string;
  readonly stack: ResultGateStack;
  readonly template: Template;
  /** cdk-nag AwsSolutions findings that no acknowledgement covers. */
  readonly nagFindings: readonly PolicyViolation[];
}

export interface SynthOptions {
  /**
   * Bundle the functions with esbuild, as `cdk synth` does (slow: every function). Assertions on the
   * template do not need bundles, so by default bundling is skipped through the CDK's own switch
   * (`aws:cdk:bundling-stacks`), the one `cdk deploy -e` uses.
   */
  readonly bundle?: boolean;
  readonly alarmEmail?: string;
  readonly webAssetPath?: string;
  /** Settings that differ from the stage's, to test a situation (a key rotation, say). */
  readonly overrides?: Partial<StageConfig>;
}

/** A throwaway built web app, so the bucket deployment is part of the synthesized stack. */
export const fakeWebDist = (): string => {
  const dir = makeTempDirSync('web');
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>ResultGate</title>');
  return dir;
};

/** cdk.json's context (the feature flags among it), which the CLI gives bin/app.ts: tests synthesize the same. */
const cdkJsonContext = (): Record<string, unknown> => {
  const parsed: unknown = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../cdk.json'), 'utf8'));
  const context = isRecord(parsed) ? parsed.context : undefined;
  return isRecord(context) ? context : {};
};

/** Synthesizes the stack of one stage, exactly as bin/app.ts does, and runs cdk-nag over it. */
export const synth = (stageName: StageName, options: SynthOptions = {}): Synthesized => {
  const outdir = makeTempDirSync('cdk');
  const app = new App({
    outdir,
    context: {
      ...cdkJsonContext(),
      'aws:cdk:enable-asset-metadata': true,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = new ResultGateStack(app, `ResultGate-${stageName}`, {
    stage: { ...stages[stageName], ...options.overrides },
    webAssetPath: options.webAssetPath ?? fakeWebDist(),
    alarmEmail: options.alarmEmail,
  });
  const template = Template.fromStack(stack);
  const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(stack);
  return { outdir, stack, template, nagFindings: report.violations };
};

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/** The resources of one type in the template, by logical id. */
export const resourcesOf = (template: Template, type: string): Record<string, Json> => {
  const found: Record<string, Json> = {};
  for (const [id, resource] of Object.entries(template.findResources(type))) {
    if (isRecord(resource)) found[id] = resource;
  }
  return found;
};

export const propsOf = (resource: Json): Json => (isRecord(resource.Properties) ? resource.Properties : {});

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

export interface Statement {
  readonly actions: readonly string[];
  readonly resources: readonly unknown[];
}

/** Every IAM statement attached to a role (by its logical id) through AWS::IAM::Policy resources. */
export const statementsOfRole = (template: Template, roleLogicalId: string): Statement[] => {
  const statements: Statement[] = [];
  for (const policy of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
    const props = propsOf(policy);
    const attached = asArray(props.Roles).some((role) => isRecord(role) && role.Ref === roleLogicalId);
    const document = props.PolicyDocument;
    if (!attached || !isRecord(document)) continue;
    for (const statement of asArray(document.Statement)) {
      if (!isRecord(statement)) continue;
      statements.push({
        actions: asArray(statement.Action).filter((action): action is string => typeof action === 'string'),
        resources: asArray(statement.Resource),
      });
    }
  }
  return statements;
};

export const actionsOfRole = (template: Template, roleLogicalId: string): string[] =>
  statementsOfRole(template, roleLogicalId).flatMap((statement) => statement.actions);

/** The logical id of a construct's CloudFormation resource (its default child). */
export const logicalIdOf = (construct: IConstruct): string => {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnElement))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(resource);
};
