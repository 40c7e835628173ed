import { CustomResource } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { RULE_STORAGE } from '../../functions/adapters/rule-set-keys.js';
import type { FunctionSpec } from '../routes.js';
import type { StageConfig } from '../stages.js';
import { HouseFunction } from './house-function.js';
import { houseProvider } from './house-provider.js';

/** The deploy-time function behind the default-rules custom resource (no route; runs only at deployment). */
export const defaultRulesSpec: FunctionSpec = {
  entry: 'functions/handlers/publish-default-rules.ts',
  description: 'At deployment, writes the default rule set (the stage windows) when none exists',
  needs: ['registryTable:read', 'registryTable:write'],
  timeoutSeconds: 30,
  memoryMb: 256,
};

export interface DefaultRulesProps {
  readonly stage: StageConfig;
  readonly logsKey: IKey;
  readonly registryTable: ITable;
}

/**
 * The default rule set `DEFAULT` (VN/ENTRY, the stage's validityHours) written at deploy when absent (a
 * conditional put), as the local stack does at its first start: an install that had only windows keeps
 * its answers. Same pattern as the signing public keys (signing.ts): a house function behind the Provider
 * framework, whose own function has a role that may only write its logs and invoke it.
 */
export class DefaultRules extends Construct {
  readonly writer: HouseFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, { stage, logsKey, registryTable }: DefaultRulesProps) {
    super(scope, id);
    this.writer = new HouseFunction(this, 'DefaultRulesWriter', { spec: defaultRulesSpec, stage, logsKey });
    // Query (is there a DEFAULT?), a conditional PutItem, and the live copies' Put and Delete.
    this.writer.readTable('REGISTRY_TABLE', registryTable).writeTable('REGISTRY_TABLE', registryTable);

    const provider = houseProvider(this, 'DefaultRulesProvider', {
      stage,
      logsKey,
      handler: this.writer,
      relays: 'relays the default-rules custom resource to its writer',
      handlerName: 'the default-rules writer',
    });

    // The windows are its properties: changing them runs the writer again, which still writes only when
    // no DEFAULT exists (a later change of windows is a `rules publish` of DEFAULT v2, not a deploy).
    // RuleStorage names how rule sets are kept (functions/adapters/rule-set-keys.ts): the deploy that
    // changes it runs the writer too, which gives an existing install the live copies verify reads.
    this.resource = new CustomResource(this, 'DefaultRuleSet', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::DefaultRuleSet',
      properties: {
        RtPcrHours: String(stage.validityHours.RT_PCR),
        RapidAntigenHours: String(stage.validityHours.RAPID_ANTIGEN),
        RuleStorage: RULE_STORAGE,
      },
    });
  }
}
