/**
 * The order of labs in GET /v1/facilities and in the admin CLI's `lab list`: province, then name, as a
 * Vietnamese reader sorts them (diacritics and case ignored, numbers by value), then id, so two labs of
 * the same name in one province always come out in the same order.
 */
export interface Listed {
  readonly id: string;
  readonly name: string;
  readonly province?: string | undefined;
}

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

export const byProvinceThenName = (a: Listed, b: Listed): number =>
  collator.compare(a.province ?? '', b.province ?? '') ||
  collator.compare(a.name, b.name) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
