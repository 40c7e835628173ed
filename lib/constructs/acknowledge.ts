import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  /** A cdk-nag rule id, with the finding when the rule reports several (`AwsSolutions-IAM5[Resource::*]`). */
  readonly id: string;
  /** Why the finding is acceptable in ResultGate. Required: every suppression is explained. */
  readonly reason: string;
}

/** Acknowledges cdk-nag findings on one construct and its children, each with its written reason. */
export const acknowledge = (scope: IConstruct, ...rules: readonly Acknowledgement[]): void => {
  for (const rule of rules) {
    if (rule.reason.trim().length < 20) throw new Error(`A suppression of ${rule.id} needs a real reason`);
    Validations.of(scope).acknowledge({ id: rule.id, reason: rule.reason });
  }
};
