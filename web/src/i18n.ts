/**
 * Every word the officer reads, in Vietnamese (the default) and English. `vi` defines the keys; `en` is
 * typed against it, so a missing translation fails the type check, and a unit test checks that both
 * languages use the same `{placeholders}`.
 */

export const languages = ['vi', 'en'] as const;
export type Language = (typeof languages)[number];

export const vi = {
  appTitle: 'Kiểm tra kết quả xét nghiệm',
  switchLanguage: 'English',
  unpair: 'Hủy ghép nối',
  unpairConfirm: 'Xóa mã thiết bị khỏi máy này? Sẽ cần nhập lại mã thiết bị để tiếp tục kiểm tra.',
  offlineIndicator: 'Ngoại tuyến',

  pairTitle: 'Ghép nối thiết bị',
  pairIntro:
    'Nhập mã thiết bị do quản trị viên cấp (chỉ cần làm một lần trên máy này), hoặc quét mã QR ghép nối.',
  pairCredentialLabel: 'Mã thiết bị',
  pairSubmit: 'Ghép nối',
  pairScan: 'Quét mã QR ghép nối',
  pairScanHint: 'Đưa mã QR ghép nối vào khung',
  pairChecking: 'Đang kiểm tra mã thiết bị…',
  pairEmpty: 'Hãy nhập mã thiết bị.',
  pairBadCredential:
    'Mã thiết bị không đúng hoặc đã bị thu hồi. Hãy kiểm tra lại, hoặc xin mã mới từ quản trị viên.',
  pairWrongRole: 'Mã này không phải mã thiết bị của chốt kiểm soát. Hãy xin đúng mã từ quản trị viên.',
  pairNetwork: 'Không kết nối được máy chủ. Cần có mạng để ghép nối; hãy thử lại.',
  pairNotPairingQr: 'Mã QR này không phải mã ghép nối thiết bị.',

  scanHint: 'Đưa mã QR của người đi đường vào khung',
  cameraStarting: 'Đang mở camera…',
  cameraDenied:
    'Không được phép dùng camera. Hãy cho phép camera trong cài đặt trình duyệt, hoặc dùng Nhập tay.',
  cameraUnavailable: 'Không mở được camera trên máy này. Hãy dùng Nhập tay.',
  cameraInsecure: 'Trình duyệt chỉ cho dùng camera trên trang HTTPS. Hãy dùng Nhập tay.',
  scannerUnavailable: 'Không tải được bộ đọc mã QR. Hãy dùng Nhập tay.',
  notAPass: 'Mã QR này không phải thẻ kết quả xét nghiệm.',
  isPairingCode: 'Đây là mã ghép nối thiết bị, không phải thẻ của người đi đường.',
  manualButton: 'Nhập tay',
  checking: 'Đang kiểm tra…',

  manualTitle: 'Nhập thông tin giấy tờ',
  idTypeLabel: 'Loại giấy tờ',
  idTypeCCCD: 'CCCD',
  idTypeCMND: 'CMND',
  idTypePASSPORT: 'Hộ chiếu',
  idNumberLabel: 'Số giấy tờ',
  dobLabel: 'Ngày sinh',
  dobDay: 'Ngày',
  dobMonth: 'Tháng',
  dobYear: 'Năm',
  manualSubmit: 'Kiểm tra',
  back: 'Quay lại',
  errCCCD: 'Số CCCD gồm đúng 12 chữ số.',
  errCMND: 'Số CMND gồm 9 hoặc 12 chữ số.',
  errPASSPORT: 'Số hộ chiếu gồm 6 đến 12 chữ cái hoặc chữ số.',
  errDobInvalid: 'Hãy nhập ngày sinh có thật: ngày, tháng và năm (4 chữ số).',
  errDobTooEarly: 'Ngày sinh phải từ ngày 01/01/1900 trở về sau.',
  errDobFuture: 'Ngày sinh không thể ở tương lai.',
  errCccdBirth:
    'Số CCCD không khớp với ngày sinh: chữ số thứ 4 (thế kỷ sinh) và chữ số thứ 5–6 (năm sinh) phải đúng với năm sinh. Hãy kiểm tra lại số CCCD và ngày sinh.',
  manualNeedsNetwork:
    'Không kết nối được máy chủ. Kiểm tra bằng nhập tay cần có mạng: hãy thử lại khi có mạng, hoặc quét mã QR của người đi đường.',

  valid: 'HỢP LỆ',
  notValid: 'KHÔNG HỢP LỆ',
  cannotCheck: 'KHÔNG THỂ KIỂM TRA',
  validUntil: 'Có giá trị đến',
  timeZoneNote: 'giờ Việt Nam (GMT+7)',
  remaining: 'còn {hours} giờ {minutes} phút',
  testType: 'Loại xét nghiệm',
  testRT_PCR: 'RT-PCR',
  testRAPID_ANTIGEN: 'Test nhanh kháng nguyên',
  holderName: 'Họ tên (che một phần)',
  birthYear: 'Năm sinh',
  facility: 'Nơi xét nghiệm',
  compareId: 'Đối chiếu họ tên và năm sinh với giấy tờ tùy thân.',
  reasonNO_VALID_RESULT: 'Không có kết quả xét nghiệm âm tính còn hiệu lực.',
  reasonPASS_INVALID: 'Mã QR không hợp lệ, đã bị sửa đổi hoặc đã hết hạn.',
  offlineBadge: 'KIỂM TRA NGOẠI TUYẾN',
  offlineNote:
    'Không có mạng: chỉ kiểm tra được chữ ký và kết quả lưu sẵn trong mã QR. Không thấy được kết quả mới hơn (ví dụ dương tính sau đó).',
  offlineNoSnapshot: 'Mã QR không chứa kết quả âm tính để kiểm tra ngoại tuyến. Cần có mạng để kiểm tra.',
  offlineRevoked: 'Kết quả xét nghiệm trong mã QR đã bị cơ quan quản lý thu hồi.',
  cannotNO_RULES:
    'Máy này chưa có bộ quy định kiểm soát đã ký để kiểm tra ngoại tuyến. Cần có mạng để tải quy định.',
  cannotRULES_TOO_OLD:
    'Bộ quy định lưu trên máy đã quá cũ, quy định có thể đã thay đổi. Cần có mạng để tải quy định mới rồi kiểm tra lại.',
  cannotNO_RULE_IN_FORCE:
    'Không có quy định nào đang có hiệu lực cho chốt này (tỉnh và loại chốt của thiết bị) vào lúc này. Cần có mạng để kiểm tra.',
  cannotNO_PROFILE:
    'Máy chưa biết tỉnh và loại chốt của thiết bị này nên chưa chọn được quy định. Cần có mạng để tải thông tin thiết bị.',
  cannotCLOCK_WRONG:
    'Ngày giờ trên điện thoại không đúng nên không thể kiểm tra ngoại tuyến. Hãy chỉnh ngày giờ (tự động theo mạng), rồi kết nối mạng một lần.',
  ruleLabel: 'Quy định áp dụng',
  rulesAsOf: 'Quy định để kiểm tra ngoại tuyến: ký lúc {signed}, dùng được đến {until}.',
  rulesExpired:
    'Quy định để kiểm tra ngoại tuyến đã quá hạn dùng (ký lúc {signed}). Khi không có mạng sẽ không kiểm tra được: hãy kết nối mạng.',
  rulesNone: 'Máy chưa có quy định để kiểm tra ngoại tuyến. Hãy kết nối mạng để tải.',
  ruleValue: '{id} phiên bản {version} · {legalBasis}',
  offlineNoKeys: 'Máy này chưa có khóa để kiểm tra ngoại tuyến mã QR này. Cần có mạng để kiểm tra.',
  nextScan: 'Quét người tiếp theo',

  errUnauthorized: 'Thiết bị không còn được ghép nối (mã thiết bị sai hoặc đã bị thu hồi). Hãy ghép nối lại.',
  rePair: 'Ghép nối lại',
  errForbidden: 'Mã thiết bị này không được phép kiểm tra. Hãy liên hệ quản trị viên.',
  errRateLimited: 'Kiểm tra quá nhiều trong thời gian ngắn. Hãy đợi {seconds} giây rồi thử lại.',
  errNetwork: 'Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại.',
  errServer: 'Máy chủ đang gặp lỗi. Hãy thử lại sau ít phút.',
  errRateLimitedSoon: 'Kiểm tra quá nhiều trong thời gian ngắn. Hãy đợi một lát rồi thử lại.',
  errMalformed: 'Máy chủ không đọc được yêu cầu của trang. Hãy tải lại trang rồi thử lại.',
  errInvalidRequest: 'Máy chủ không chấp nhận thông tin đã gửi. Hãy kiểm tra lại rồi thử lại.',
  errInvalidIdType: 'Máy chủ không chấp nhận loại giấy tờ. Hãy chọn CCCD, CMND hoặc Hộ chiếu rồi thử lại.',
  errInvalidIdNumber: 'Máy chủ không chấp nhận số giấy tờ. Hãy đối chiếu lại số trên giấy tờ.',
  errInvalidDob: 'Máy chủ không chấp nhận ngày sinh. Hãy đối chiếu lại ngày sinh trên giấy tờ.',
  errInvalidQr: 'Mã QR này không phải thẻ kết quả đọc được. Hãy quét lại, hoặc dùng Nhập tay.',
  errNotFound: 'Không tìm thấy dịch vụ kiểm tra ở địa chỉ đã cấu hình. Hãy báo quản trị viên.',
  errTooLarge: 'Dữ liệu gửi đi quá lớn. Hãy quét lại, hoặc dùng Nhập tay.',
  close: 'Đóng',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof vi;

export const en: Record<MessageKey, string> = {
  appTitle: 'Test result check',
  switchLanguage: 'Tiếng Việt',
  unpair: 'Unpair',
  unpairConfirm: 'Remove the device credential from this phone? You will need it again to check passes.',
  offlineIndicator: 'Offline',

  pairTitle: 'Pair this device',
  pairIntro:
    'Enter the device credential from your administrator (only once on this phone), or scan the pairing QR code.',
  pairCredentialLabel: 'Device credential',
  pairSubmit: 'Pair',
  pairScan: 'Scan pairing QR',
  pairScanHint: 'Point the camera at the pairing QR code',
  pairChecking: 'Checking the credential…',
  pairEmpty: 'Enter the device credential.',
  pairBadCredential:
    'This credential is wrong or has been revoked. Check it, or ask your administrator for a new one.',
  pairWrongRole: 'This is not a checkpoint device credential. Ask your administrator for the right one.',
  pairNetwork: 'Cannot reach the server. Pairing needs the network; try again.',
  pairNotPairingQr: 'This QR code is not a device pairing code.',

  scanHint: "Point the camera at the traveller's QR code",
  cameraStarting: 'Starting the camera…',
  cameraDenied:
    'Camera permission was denied. Allow the camera in the browser settings, or use manual entry.',
  cameraUnavailable: 'The camera could not be opened on this phone. Use manual entry.',
  cameraInsecure: 'The browser allows the camera only on HTTPS pages. Use manual entry.',
  scannerUnavailable: 'The QR reader could not be loaded. Use manual entry.',
  notAPass: 'This QR code is not a test result pass.',
  isPairingCode: "This is a device pairing code, not a traveller's pass.",
  manualButton: 'Manual entry',
  checking: 'Checking…',

  manualTitle: 'Enter ID details',
  idTypeLabel: 'ID type',
  idTypeCCCD: 'CCCD',
  idTypeCMND: 'CMND',
  idTypePASSPORT: 'Passport',
  idNumberLabel: 'ID number',
  dobLabel: 'Date of birth',
  dobDay: 'Day',
  dobMonth: 'Month',
  dobYear: 'Year',
  manualSubmit: 'Check',
  back: 'Back',
  errCCCD: 'A CCCD number has exactly 12 digits.',
  errCMND: 'A CMND number has 9 or 12 digits.',
  errPASSPORT: 'A passport number has 6 to 12 letters or digits.',
  errDobInvalid: 'Enter a real date of birth: day, month and year (4 digits).',
  errDobTooEarly: 'The date of birth must be 01/01/1900 or later.',
  errDobFuture: 'The date of birth cannot be in the future.',
  errCccdBirth:
    'The CCCD number does not match the date of birth: digit 4 (century of birth) and digits 5–6 (year of birth) must agree with the year of birth. Check the CCCD number and the date of birth.',
  manualNeedsNetwork:
    "Cannot reach the server. Manual entry needs the network: try again when online, or scan the traveller's QR code.",

  valid: 'VALID',
  notValid: 'NOT VALID',
  cannotCheck: 'CANNOT CHECK',
  validUntil: 'Valid until',
  timeZoneNote: 'Vietnam time (GMT+7)',
  remaining: '{hours} h {minutes} min left',
  testType: 'Test type',
  testRT_PCR: 'RT-PCR',
  testRAPID_ANTIGEN: 'Rapid antigen test',
  holderName: 'Name (partly hidden)',
  birthYear: 'Year of birth',
  facility: 'Tested at',
  compareId: 'Compare the name and year of birth with the ID card.',
  reasonNO_VALID_RESULT: 'No valid negative test result.',
  reasonPASS_INVALID: 'The QR pass is invalid, altered or expired.',
  offlineBadge: 'OFFLINE CHECK',
  offlineNote:
    'No network: only the signature and the result stored in the pass were checked. Newer results (for example a later positive) cannot be seen.',
  offlineNoSnapshot: 'The pass holds no negative result to check offline. Check it again when online.',
  offlineRevoked: 'The test result in this pass has been revoked by the authority.',
  cannotNO_RULES: 'This phone has no signed checkpoint rules yet to check offline. Go online to load them.',
  cannotRULES_TOO_OLD:
    'The rules kept on this phone are too old: they may have changed. Go online to load the current rules, then check again.',
  cannotNO_RULE_IN_FORCE:
    "No rule is in force at this moment for this checkpoint (the device's province and mode). Check it again when online.",
  cannotNO_PROFILE:
    "This phone does not know the device's province and mode yet, so it cannot pick the rule. Go online to load them.",
  cannotCLOCK_WRONG:
    "The phone's date and time are wrong, so it cannot check offline. Set them (automatic, from the network), then go online once.",
  ruleLabel: 'Rule applied',
  rulesAsOf: 'Rules for offline checks: signed {signed}, usable until {until}.',
  rulesExpired:
    'The rules for offline checks are past their use (signed {signed}). Without network nothing can be checked: go online.',
  rulesNone: 'This phone has no rules for offline checks yet. Go online to load them.',
  ruleValue: '{id} version {version} · {legalBasis}',
  offlineNoKeys: 'This phone has no key yet to check this pass offline. Check it again when online.',
  nextScan: 'Scan next',

  errUnauthorized: 'This device is no longer paired (the credential is wrong or was revoked). Pair it again.',
  rePair: 'Pair again',
  errForbidden: 'This device credential may not check passes. Contact your administrator.',
  errRateLimited: 'Too many checks in a short time. Wait {seconds} seconds and try again.',
  errNetwork: 'Cannot reach the server. Check the connection and try again.',
  errServer: 'The server has a problem. Try again in a few minutes.',
  errRateLimitedSoon: 'Too many checks in a short time. Wait a moment and try again.',
  errMalformed: "The server could not read the page's request. Reload the page and try again.",
  errInvalidRequest: 'The server did not accept the details sent. Check them and try again.',
  errInvalidIdType: 'The server did not accept the ID type. Choose CCCD, CMND or Passport and try again.',
  errInvalidIdNumber: 'The server did not accept the ID number. Compare it with the ID card again.',
  errInvalidDob: 'The server did not accept the date of birth. Compare it with the ID card again.',
  errInvalidQr: 'This QR code could not be read as a pass. Scan it again, or use manual entry.',
  errNotFound: 'The checking service was not found at the configured address. Tell your administrator.',
  errTooLarge: 'What was sent is too large. Scan again, or use manual entry.',
  close: 'Close',
};

export const dictionaries: Record<Language, Record<MessageKey, string>> = { vi, en };

export function isLanguage(value: unknown): value is Language {
  return value === 'vi' || value === 'en';
}

/** The text for `key` in `language`, with each `{name}` replaced by `params[name]`. */
export function translate(
  language: Language,
  key: MessageKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}
