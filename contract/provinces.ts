/**
 * Vietnam's provincial-level administrative units in force, as data: the admin CLI checks a lab's
 * province against it and the public page groups facilities by it. Dependency-free.
 *
 * Source: Nghị quyết số 202/2025/QH15 của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh
 * (National Assembly Resolution 202/2025/QH15 on the reorganisation of provincial-level units),
 * adopted 12 June 2025, in force 1 July 2025: 34 units (6 centrally-run cities, 28 provinces), down
 * from 63. List written down on 2026-12-02 from that resolution; check it again if a later resolution
 * changes the units.
 *
 * ISO 3166-2 codes: ISO 3166-2:VN still listed the 63 former units when this list was written, and we
 * could not confirm any ISO change for the 2025 reorganisation. So:
 * - `iso` is the code ISO assigned to the unit of the same name before 1 July 2025. For a unit that was
 *   not merged (`merged` empty) that is its code. For a merged unit it is the code of the former unit
 *   whose name it kept (Hải Phòng keeps VN-HP; the codes of the units merged into it, e.g. VN-61 Hải
 *   Dương, name no unit in force: they are kept in `formerProvinceCodes` only to tell whoever types one
 *   the code to use). ISO may publish other codes: `isoConfirmedForCurrentTerritory` says which codes
 *   cover the current territory for certain. No code is invented.
 * - Huế: the former Thừa Thiên Huế province (VN-26) became the centrally-run city of Huế on 1 January
 *   2025 with the same territory; VN-26 is kept for it.
 */

export interface Province {
  /** The unit's name with diacritics, without "Tỉnh"/"Thành phố" (the name labs are listed under). */
  readonly name: string;
  readonly kind: 'city' | 'province';
  /** ISO 3166-2 code of the unit of this name before 1 July 2025 (see above). */
  readonly iso: string;
  /** True when the unit's territory is unchanged since ISO assigned `iso`. */
  readonly isoConfirmedForCurrentTerritory: boolean;
  /** The former units merged into it on 1 July 2025 (besides the one whose name it kept). */
  readonly merged: readonly string[];
}

export const PROVINCES_SOURCE =
  'Nghị quyết 202/2025/QH15 (12/06/2025), hiệu lực 01/07/2025; danh sách ghi ngày 2026-12-02';
export const PROVINCES_IN_FORCE_FROM = '2025-07-01';

const unit = (
  name: string,
  kind: Province['kind'],
  iso: string,
  merged: readonly string[] = [],
  isoConfirmedForCurrentTerritory = merged.length === 0,
): Province => ({ name, kind, iso, merged, isoConfirmedForCurrentTerritory });

/** The 34 units, cities first, then provinces, each group in Vietnamese alphabetical order. */
export const provinces: readonly Province[] = [
  unit('Cần Thơ', 'city', 'VN-CT', ['Sóc Trăng', 'Hậu Giang']),
  unit('Đà Nẵng', 'city', 'VN-DN', ['Quảng Nam']),
  unit('Hà Nội', 'city', 'VN-HN'),
  unit('Hải Phòng', 'city', 'VN-HP', ['Hải Dương']),
  unit('Hồ Chí Minh', 'city', 'VN-SG', ['Bình Dương', 'Bà Rịa - Vũng Tàu']),
  unit('Huế', 'city', 'VN-26', [], true),
  unit('An Giang', 'province', 'VN-44', ['Kiên Giang']),
  unit('Bắc Ninh', 'province', 'VN-56', ['Bắc Giang']),
  unit('Cà Mau', 'province', 'VN-59', ['Bạc Liêu']),
  unit('Cao Bằng', 'province', 'VN-04'),
  unit('Đắk Lắk', 'province', 'VN-33', ['Phú Yên']),
  unit('Điện Biên', 'province', 'VN-71'),
  unit('Đồng Nai', 'province', 'VN-39', ['Bình Phước']),
  unit('Đồng Tháp', 'province', 'VN-45', ['Tiền Giang']),
  unit('Gia Lai', 'province', 'VN-30', ['Bình Định']),
  unit('Hà Tĩnh', 'province', 'VN-23'),
  unit('Hưng Yên', 'province', 'VN-66', ['Thái Bình']),
  unit('Khánh Hòa', 'province', 'VN-34', ['Ninh Thuận']),
  unit('Lai Châu', 'province', 'VN-01'),
  unit('Lâm Đồng', 'province', 'VN-35', ['Đắk Nông', 'Bình Thuận']),
  unit('Lạng Sơn', 'province', 'VN-09'),
  unit('Lào Cai', 'province', 'VN-02', ['Yên Bái']),
  unit('Nghệ An', 'province', 'VN-22'),
  unit('Ninh Bình', 'province', 'VN-18', ['Hà Nam', 'Nam Định']),
  unit('Phú Thọ', 'province', 'VN-68', ['Vĩnh Phúc', 'Hòa Bình']),
  unit('Quảng Ngãi', 'province', 'VN-29', ['Kon Tum']),
  unit('Quảng Ninh', 'province', 'VN-13'),
  unit('Quảng Trị', 'province', 'VN-25', ['Quảng Bình']),
  unit('Sơn La', 'province', 'VN-05'),
  unit('Tây Ninh', 'province', 'VN-37', ['Long An']),
  unit('Thái Nguyên', 'province', 'VN-69', ['Bắc Kạn']),
  unit('Thanh Hóa', 'province', 'VN-21'),
  unit('Tuyên Quang', 'province', 'VN-07', ['Hà Giang']),
  unit('Vĩnh Long', 'province', 'VN-49', ['Bến Tre', 'Trà Vinh']),
];

/**
 * The ISO 3166-2 codes of the 29 former units merged into another on 1 July 2025, as ISO 3166-2:VN lists
 * them with the 63 former units. No unit in force has one of these codes; they are here so that a code
 * typed from an old list is answered with the unit it became part of, not just "unknown".
 */
export const formerProvinceCodes: ReadonlyMap<string, string> = new Map([
  ['VN-03', 'Hà Giang'],
  ['VN-06', 'Yên Bái'],
  ['VN-14', 'Hòa Bình'],
  ['VN-20', 'Thái Bình'],
  ['VN-24', 'Quảng Bình'],
  ['VN-27', 'Quảng Nam'],
  ['VN-28', 'Kon Tum'],
  ['VN-31', 'Bình Định'],
  ['VN-32', 'Phú Yên'],
  ['VN-36', 'Ninh Thuận'],
  ['VN-40', 'Bình Thuận'],
  ['VN-41', 'Long An'],
  ['VN-43', 'Bà Rịa - Vũng Tàu'],
  ['VN-46', 'Tiền Giang'],
  ['VN-47', 'Kiên Giang'],
  ['VN-50', 'Bến Tre'],
  ['VN-51', 'Trà Vinh'],
  ['VN-52', 'Sóc Trăng'],
  ['VN-53', 'Bắc Kạn'],
  ['VN-54', 'Bắc Giang'],
  ['VN-55', 'Bạc Liêu'],
  ['VN-57', 'Bình Dương'],
  ['VN-58', 'Bình Phước'],
  ['VN-61', 'Hải Dương'],
  ['VN-63', 'Hà Nam'],
  ['VN-67', 'Nam Định'],
  ['VN-70', 'Vĩnh Phúc'],
  ['VN-72', 'Đắk Nông'],
  ['VN-73', 'Hậu Giang'],
]);

/** Former names that are not a merger: the unit changed its name. */
const renamed: Readonly<Record<string, string>> = { 'Thừa Thiên Huế': 'Huế' };

const PREFIX = /^(tỉnh|thành phố|tp\.?)\s+/u;

/** NFC, trimmed, single spaces, lower case, without "Tỉnh"/"Thành phố"/"TP." in front. */
const tidy = (text: string): string =>
  text.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('vi').replace(PREFIX, '');

/** Without diacritics, so "Hai Phong" meets "Hải Phòng" when suggesting. */
const folded = (text: string): string =>
  tidy(text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/gu, 'd')
    .replace(/[^a-z0-9 ]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();

const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
};

export type ProvinceLookup =
  | { readonly found: true; readonly province: Province }
  | { readonly found: false; readonly suggestions: readonly string[] };

/**
 * The unit named exactly (with diacritics; case, spacing and a "Tỉnh"/"Thành phố" prefix do not matter)
 * or by its ISO code. Otherwise the closest names: the same letters without diacritics, the unit a
 * former province was merged into ("Hải Dương" → Hải Phòng), or a name within two typos.
 */
export const findProvince = (input: string): ProvinceLookup => {
  const wanted = tidy(input);
  const byName = provinces.find((p) => tidy(p.name) === wanted);
  if (byName) return { found: true, province: byName };
  const byCode = provinces.find((p) => p.iso.toLowerCase() === wanted);
  if (byCode) return { found: true, province: byCode };

  const key = folded(input);
  const suggestions = new Set<string>();
  for (const p of provinces) {
    if (folded(p.name) === key) suggestions.add(p.name);
    if (p.merged.some((former) => folded(former) === key)) suggestions.add(p.name);
  }
  for (const [former, now] of Object.entries(renamed)) if (folded(former) === key) suggestions.add(now);
  const mergedByCode = mergedCode(input);
  if (mergedByCode) suggestions.add(mergedByCode.now.name);
  if (suggestions.size === 0 && key.length > 0) {
    const near = provinces
      .map((p) => ({ name: p.name, d: distance(folded(p.name), key) }))
      .filter((p) => p.d <= 2)
      .sort((a, b) => a.d - b.d);
    for (const p of near.slice(0, 3)) suggestions.add(p.name);
  }
  return { found: false, suggestions: [...suggestions] };
};

/** The unit a former province became part of on 1 July 2025, for the message on a miss. */
export const mergedInto = (input: string): Province | undefined => {
  const key = folded(input);
  return provinces.find((p) => p.merged.some((former) => folded(former) === key));
};

/** A former unit's ISO code (e.g. VN-61, Hải Dương), with the unit in force it became part of. */
export const mergedCode = (
  code: string,
): { readonly formerName: string; readonly now: Province } | undefined => {
  const formerName = formerProvinceCodes.get(code.trim().toUpperCase());
  const now = formerName === undefined ? undefined : mergedInto(formerName);
  return formerName === undefined || now === undefined ? undefined : { formerName, now };
};

/**
 * What a former unit's code is told, Vietnamese and English, without the code itself (each caller puts
 * it where its sentence needs it): the one wording of every place that refuses such a code.
 */
export const formerCodeTexts = (formerName: string, nowName: string, nowIso: string) => ({
  vi: `là mã của tỉnh ${formerName} cũ, đã nhập vào ${nowName} từ 01/07/2025: hãy dùng ${nowIso}`,
  en: `was the code of the former province ${formerName}, merged into ${nowName} on 1 July 2025: use ${nowIso}`,
});

/** The texts of formerCodeTexts for `code` when it is a former unit's code. */
export const formerCodeAdvice = (code: string): { readonly vi: string; readonly en: string } | undefined => {
  const merged = mergedCode(code);
  return merged && formerCodeTexts(merged.formerName, merged.now.name, merged.now.iso);
};
