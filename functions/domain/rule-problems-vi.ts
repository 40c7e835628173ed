import { formerCodeTexts } from '../../contract/provinces.js';
import type { RuleProblem } from '../../contract/rules.js';

/**
 * The Vietnamese of a rule set's shape problems (contract/rules.ts, contract/rules-publication.ts), for
 * the refusals `rules check` and `rules publish` print Vietnamese first. Kept here, not in the contract:
 * the contract is in verify's bundle and the page, which never show these texts. A message this table
 * does not know keeps its English in the Vietnamese half too (a unit test feeds every check a bad value).
 */
const exact: Readonly<Record<string, string>> = {
  'is not a known field': 'là trường không được hỗ trợ',
  'must be an object': 'phải là một đối tượng',
  'must be a JSON object': 'phải là một đối tượng JSON',
  'must be an RFC 3339 instant': 'phải là một thời điểm RFC 3339',
  'must be an instant that exists (RFC 3339)': 'phải là một thời điểm có thật (RFC 3339)',
  'must be a lab id such as lab_0123456789abcdef':
    'phải là id của một phòng xét nghiệm, ví dụ lab_0123456789abcdef',
  'must be 1-200 characters': 'phải dài 1-200 ký tự',
  'must be a list of at most 50 results': 'phải là danh sách tối đa 50 kết quả',
  'must be VALID or NOT_VALID': 'phải là VALID hoặc NOT_VALID',
  'must be given for VALID, as an RFC 3339 instant':
    'phải được nêu khi verdict là VALID, dạng thời điểm RFC 3339',
  'must not be given for NOT_VALID': 'không được nêu khi verdict là NOT_VALID',
  'must be 2-40 of A-Z, 0-9 and -, e.g. QN-ENTRY': 'phải gồm 2-40 ký tự A-Z, 0-9 và -, ví dụ QN-ENTRY',
  'must be a whole number from 1': 'phải là số nguyên từ 1',
  'must be an ISO 3166-2 code of a province such as VN-13, or VN':
    'phải là mã ISO 3166-2 của một tỉnh, thành phố như VN-13, hoặc VN',
  'must be the ISO 3166-2 code of a province in force, such as VN-13, or VN':
    'phải là mã ISO 3166-2 của một tỉnh, thành phố hiện hành như VN-13, hoặc VN',
  'must be 2-30 of A-Z and _, e.g. ENTRY': 'phải gồm 2-30 ký tự A-Z và _, ví dụ ENTRY',
  'must be after validFrom': 'phải sau validFrom',
  'must be 1-200 characters, the document that orders the rule':
    'phải dài 1-200 ký tự: văn bản ban hành quy tắc',
  'must give the rule in Vietnamese (vi) and English (en), 1-1000 characters each':
    'phải nêu quy tắc bằng tiếng Việt (vi) và tiếng Anh (en), mỗi bản 1-1000 ký tự',
  'must list at least one accepted test type': 'phải nêu ít nhất một loại xét nghiệm được chấp nhận',
  'is listed twice': 'bị nêu hai lần',
  'must be a non-empty list when given': 'nếu có thì phải là danh sách không rỗng',
  'must be one line, without control or invisible formatting characters':
    'phải nằm trên một dòng, không có ký tự điều khiển hay ký tự định dạng vô hình',
  'must be one line in each language, without control or invisible formatting characters':
    'mỗi ngôn ngữ phải nằm trên một dòng, không có ký tự điều khiển hay ký tự định dạng vô hình',
};

const patterns: readonly (readonly [RegExp, (match: RegExpExecArray) => string])[] = [
  [
    /^was the code of the former province (.+), merged into (.+) on 1 July 2025: use (VN-\w+)$/,
    (m) => formerCodeTexts(m[1] ?? '', m[2] ?? '', m[3] ?? '').vi,
  ],
  [/^must be one of (.+)$/, (m) => `phải là một trong các giá trị: ${m[1]}`],
  [/^must be a whole number of hours from 1 to (\d+)$/, (m) => `phải là số giờ nguyên từ 1 đến ${m[1]}`],
  [/^must give 1 to (\d+) worked examples$/, (m) => `phải có từ 1 đến ${m[1]} ví dụ`],
  [
    /^is (tests\[\d+\])'s name too: each example needs its own$/,
    (m) => `trùng tên với ${m[1]}: mỗi ví dụ cần một tên riêng`,
  ],
  [
    /^(\S+) is the country's (\S+) rule: (\S+) only$/,
    (m) => `${m[1]} là quy tắc ${m[2]} của toàn quốc: chỉ dùng ${m[3]}`,
  ],
  [
    /^(\S+) never ends \(every device falls back to it\): publish a new version instead$/,
    (m) => `${m[1]} không bao giờ hết hiệu lực (mọi thiết bị đều dựa vào nó): hãy công bố một phiên bản mới`,
  ],
];

/** The problem's message in Vietnamese; its English when this table does not know it. */
export const problemInVietnamese = ({ message }: RuleProblem): string => {
  const known = exact[message];
  if (known !== undefined) return known;
  for (const [pattern, text] of patterns) {
    const match = pattern.exec(message);
    if (match) return text(match);
  }
  return message;
};
