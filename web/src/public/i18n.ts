/**
 * Every word of the public facilities page, in Vietnamese (the default) and English. `vi` defines the
 * keys; `en` is typed against it, so a missing translation fails the type check.
 */
export const languages = ['vi', 'en'] as const;
export type Language = (typeof languages)[number];

export const vi = {
  pageTitle: 'Danh sách cơ sở xét nghiệm đã kết nối',
  intro:
    'Các cơ sở xét nghiệm gửi kết quả trực tiếp cho chốt kiểm soát dịch qua hệ thống ResultGate, và quy định kiểm soát đang áp dụng. Danh sách do tỉnh công bố và tự cập nhật.',
  switchLanguage: 'English',
  loading: 'Đang tải danh sách…',
  loadFailed: 'Không tải được danh sách cơ sở xét nghiệm. Hãy kiểm tra mạng rồi tải lại trang.',
  updatedAt: 'Cập nhật lúc {time} (giờ Việt Nam, GMT+7)',
  facilitiesTitle: 'Cơ sở xét nghiệm',
  searchLabel: 'Tìm theo tên cơ sở hoặc tỉnh',
  searchHint: 'Có thể gõ không dấu, ví dụ: hai phong',
  searchCount: 'Tìm thấy {count} / {total} cơ sở',
  totalCount: '{total} cơ sở',
  noMatch: 'Không có cơ sở nào khớp với từ tìm kiếm.',
  noFacilities: 'Chưa có cơ sở xét nghiệm nào được kết nối.',
  groupCount: '{count} cơ sở',
  noProvince: 'Chưa ghi tỉnh',
  status: 'Trạng thái',
  statusACTIVE: 'Đang hoạt động',
  statusSUSPENDED: 'Tạm dừng: kết quả không được chấp nhận',
  statusREVOKED: 'Đã thu hồi: kết quả không được chấp nhận',
  testTypes: 'Loại xét nghiệm',
  testRT_PCR: 'RT-PCR',
  testRAPID_ANTIGEN: 'Test nhanh kháng nguyên',
  integratedSince: 'Kết nối từ',
  lastResultAt: 'Kết quả gần nhất',
  never: 'Chưa gửi kết quả nào',
  stale: 'Quá {hours} giờ chưa gửi kết quả',
  rulesTitle: 'Quy định kiểm soát đang áp dụng',
  rulesIntro:
    'Chốt kiểm soát chấp nhận kết quả âm tính theo quy định của tỉnh và loại chốt. Tỉnh không có quy định riêng cho một loại chốt thì chốt áp dụng quy định toàn quốc cho loại chốt đó, nếu không có thì quy định toàn quốc cho chốt ra vào tỉnh.',
  rulesVerified: 'Đã kiểm tra chữ ký số của bộ quy định (đúng bộ quy định chốt kiểm soát áp dụng).',
  rulesUnverified:
    'Không kiểm tra được chữ ký số của bộ quy định, nên không hiển thị. Hãy tải lại trang sau ít phút.',
  rulesNone: 'Chưa có quy định kiểm soát nào được công bố.',
  wholeCountry: 'Toàn quốc',
  mode: 'Loại chốt',
  modeENTRY: 'Ra vào tỉnh',
  modeFREIGHT: 'Vận tải hàng hóa',
  ruleInForce: 'Đang áp dụng',
  ruleNoneInForce: 'Hiện không có quy định nào đang áp dụng.',
  ruleNoneFrom: 'Từ {time} (giờ Việt Nam): không còn quy định nào áp dụng.',
  ruleFallback: 'Quy định toàn quốc: tỉnh chưa có quy định riêng đang áp dụng cho loại chốt này.',
  ruleScheduled: 'Áp dụng từ {time} (giờ Việt Nam)',
  ruleUntil: 'đến {time} (giờ Việt Nam)',
  ruleAccepts: 'Chấp nhận',
  ruleAccept: '{testType} âm tính, trong {hours} giờ kể từ khi lấy mẫu',
  ruleLegalBasis: 'Căn cứ',
  ruleName: '{id}, phiên bản {version}',
  footer: 'Dữ liệu từ GET /v1/facilities và GET /v1/rules của ResultGate.',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof vi;

export const en: Record<MessageKey, string> = {
  pageTitle: 'Integrated testing facilities',
  intro:
    'The testing facilities that send results straight to epidemic control checkpoints through ResultGate, and the checkpoint rules in force. The province publishes this list and keeps it current.',
  switchLanguage: 'Tiếng Việt',
  loading: 'Loading the list…',
  loadFailed: 'The list of testing facilities could not be loaded. Check the network, then reload the page.',
  updatedAt: 'Updated {time} (Vietnam time, GMT+7)',
  facilitiesTitle: 'Testing facilities',
  searchLabel: 'Search by facility name or province',
  searchHint: 'Diacritics are optional, e.g. hai phong',
  searchCount: '{count} of {total} facilities found',
  totalCount: '{total} facilities',
  noMatch: 'No facility matches the search.',
  noFacilities: 'No testing facility is integrated yet.',
  groupCount: '{count} facilities',
  noProvince: 'Province not given',
  status: 'Status',
  statusACTIVE: 'Active',
  statusSUSPENDED: 'Suspended: its results are not accepted',
  statusREVOKED: 'Revoked: its results are not accepted',
  testTypes: 'Test types',
  testRT_PCR: 'RT-PCR',
  testRAPID_ANTIGEN: 'Rapid antigen test',
  integratedSince: 'Integrated since',
  lastResultAt: 'Latest result',
  never: 'No result sent yet',
  stale: 'No result for more than {hours} hours',
  rulesTitle: 'Checkpoint rules in force',
  rulesIntro:
    "Checkpoints accept negative results by the rules of their province and checkpoint type. Where a province has no rule of its own for a checkpoint type, its checkpoints apply the whole country's rule for that type, or else the whole country's rule for entry into a province.",
  rulesVerified: 'The digital signature of these rules was checked (the rules checkpoints apply).',
  rulesUnverified:
    'The digital signature of the rules could not be checked, so they are not shown. Reload the page in a few minutes.',
  rulesNone: 'No checkpoint rule has been published yet.',
  wholeCountry: 'Whole country',
  mode: 'Checkpoint type',
  modeENTRY: 'Entry into the province',
  modeFREIGHT: 'Freight transport',
  ruleInForce: 'In force',
  ruleNoneInForce: 'No rule is in force now.',
  ruleNoneFrom: 'From {time} (Vietnam time): no rule applies any more.',
  ruleFallback:
    "The whole country's rule: the province has no rule of its own in force for this checkpoint type.",
  ruleScheduled: 'From {time} (Vietnam time)',
  ruleUntil: 'until {time} (Vietnam time)',
  ruleAccepts: 'Accepts',
  ruleAccept: 'negative {testType}, within {hours} hours of sampling',
  ruleLegalBasis: 'Legal basis',
  ruleName: '{id}, version {version}',
  footer: "Data from ResultGate's GET /v1/facilities and GET /v1/rules.",
};

export const dictionaries: Record<Language, Record<MessageKey, string>> = { vi, en };

export function translate(
  language: Language,
  key: MessageKey,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? String(values[name]) : match,
  );
}

/** The key of a text that exists for a code (status, test type, mode), if the dictionary has one. */
export function codeKey(prefix: 'status' | 'test' | 'mode', code: string): MessageKey | undefined {
  const key = `${prefix}${code}`;
  return isMessageKey(key) ? key : undefined;
}

const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(vi, key);
