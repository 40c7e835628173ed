import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { makeRuleSetsTable, RuleSetVersionExistsError } from '../adapters/rule-sets-table.js';
import { dynamo } from '../clients/dynamodb.js';
import { loadConfig } from '../config.js';
import { ensureDefaultRuleSet } from '../domain/rule-publishing.js';
import { logger } from '../observability.js';

const config = loadConfig(['REGISTRY_TABLE', 'VALIDITY_RT_PCR_HOURS', 'VALIDITY_RAPID_ANTIGEN_HOURS']);
const ruleSets = makeRuleSetsTable(dynamo, config.REGISTRY_TABLE);
const PHYSICAL_ID = 'default-rule-set';

/**
 * Deploy-time custom resource (lib/constructs/default-rules.ts): writes the default rule set from the
 * stage's windows when no `DEFAULT` version exists, so an existing install keeps answering as before.
 * It never replaces or deletes one (published versions are immutable; later versions are the operator's),
 * so Update writes only if DEFAULT is missing and Delete leaves the data alone. Create and Update also
 * bring the live copies verify reads up to date (rule-sets-table.ts `syncLive`): the deploy that brings
 * them changes the resource's RuleStorage property, so an existing install gets them then.
 */
export const handler = async (event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> => {
  const physicalId = event.RequestType === 'Create' ? PHYSICAL_ID : event.PhysicalResourceId;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
  const wrote = await ensureDefaultRuleSet(
    ruleSets,
    { RT_PCR: config.VALIDITY_RT_PCR_HOURS, RAPID_ANTIGEN: config.VALIDITY_RAPID_ANTIGEN_HOURS },
    { now: new Date(), publishedBy: 'deployment (CloudFormation)' },
    (error) => error instanceof RuleSetVersionExistsError,
  );
  logger.info(wrote ? 'default rule set written' : 'default rule set already there');
  return { PhysicalResourceId: physicalId, Data: { Written: String(wrote) } };
};
