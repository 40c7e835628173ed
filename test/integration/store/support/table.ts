import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown>;

/** Every item of a table: what the tests compare with what the contract says should be there. */
export const scanAll = async (client: DynamoDBDocumentClient, tableName: string): Promise<Item[]> => {
  const items: Item[] = [];
  for await (const page of paginateScan({ client }, { TableName: tableName, ConsistentRead: true })) {
    items.push(...(page.Items ?? []));
  }
  return items;
};

const pkOf = (item: Item): string => (typeof item.pk === 'string' ? item.pk : '');

export const sampleItems = (items: readonly Item[]) =>
  items.filter((item) => pkOf(item).startsWith('SAMPLE#'));
export const holderItems = (items: readonly Item[]) =>
  items.filter((item) => pkOf(item).startsWith('HOLDER#'));
