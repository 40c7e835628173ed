/**
 * The lab onboarding checklist: `lab add` prints it, and section 1 of the lab integration guides
 * (docs/guides/lab-integration.*.md) shows the same steps, word for word (a test holds them together).
 * Vietnamese first, then English; each item is one step.
 */
export interface ChecklistItem {
  readonly vi: string;
  readonly en: string;
}

export const LAB_ONBOARDING_CHECKLIST: readonly ChecklistItem[] = [
  {
    vi: 'Đơn vị vận hành đăng ký cơ sở (tên, tỉnh, loại xét nghiệm) và trao mã truy cập cho một người phụ trách của cơ sở, trực tiếp hoặc qua kênh an toàn đã thống nhất (mục 2).',
    en: 'The operator registers the lab (name, province, test types) and hands the credential to one named person at the lab, in person or over a safe channel agreed beforehand (section 2).',
  },
  {
    vi: 'Cơ sở cất mã vào kho bí mật của máy chủ, ghi lại ai giữ mã, và trao đổi số điện thoại trực với đơn vị vận hành (cả hai chiều).',
    en: "The lab puts the credential in the server's secret store, writes down who holds it, and exchanges on-call phone numbers with the operator (both ways).",
  },
  {
    vi: 'Ánh xạ dữ liệu của phần mềm bệnh viện (HIS/LIS) sang các trường ở mục 4: mã mẫu duy nhất, loại và số giấy tờ, ngày sinh, thời điểm lấy mẫu và có kết quả kèm múi giờ.',
    en: "Map the hospital software's (HIS/LIS) data to the fields of section 4: a unique sample id, ID type and number, date of birth, sampling and result times with their time zone.",
  },
  {
    vi: 'Gửi thử vào môi trường thử nghiệm do đơn vị vận hành cấp (hoặc bản chạy trên máy `npm start`), kiểm tra bằng `GET /v1/results/{sampleId}`, và thử các lỗi ở mục 7.',
    en: "Send test results to the test environment the operator provides (or a laptop's `npm start`), check them with `GET /v1/results/{sampleId}`, and try the errors of section 7.",
  },
  {
    vi: 'Cài đặt việc thử lại theo mục 8 và ghi nhật ký trạng thái từng kết quả (không ghi dữ liệu cá nhân).',
    en: "Build the retries of section 8 and log each result's status (never personal data).",
  },
  {
    vi: 'Chuyển sang địa chỉ chính thức, gửi kết quả thật đầu tiên, và xem cơ sở xuất hiện trong `GET /v1/facilities` với `integratedSince` đã có giá trị.',
    en: 'Switch to the production address, send the first real result, and see the lab in `GET /v1/facilities` with `integratedSince` set.',
  },
  {
    vi: 'Theo dõi hằng ngày: kết quả bị từ chối, và mọi câu trả lời `401`/`403` (báo ngay cho đơn vị vận hành).',
    en: 'Watch every day: rejected results, and any `401`/`403` answer (tell the operator at once).',
  },
];

/** The checklist as text for the terminal: numbered, each step in Vietnamese then English. */
export const checklistText = (items: readonly ChecklistItem[] = LAB_ONBOARDING_CHECKLIST): string =>
  [
    'Các bước tiếp nhận cơ sở xét nghiệm / Lab onboarding checklist:',
    ...items.flatMap((item, i) => [`  ${i + 1}. [ ] ${item.vi}`, `         ${item.en}`]),
    '',
  ].join('\n');
