/**
 * The lab onboarding checklist: `lab add` prints it, and the lab integration guide (docs/guides/) shows
 * the same steps. One home for the text, Vietnamese first, then English; each item is one step.
 */
export interface ChecklistItem {
  readonly vi: string;
  readonly en: string;
}

export const LAB_ONBOARDING_CHECKLIST: readonly ChecklistItem[] = [
  {
    vi: 'Trao mã xác thực (credential) cho người phụ trách CNTT của cơ sở qua kênh an toàn (gặp trực tiếp hoặc tin nhắn mã hoá đầu-cuối), không gửi qua email hay nhóm chat; mã chỉ hiện một lần.',
    en: "Hand the credential to the lab's IT lead over a safe channel (in person or an end-to-end encrypted message), never by e-mail or a group chat; it is shown only once.",
  },
  {
    vi: 'Cơ sở lưu mã trong kho bí mật của máy chủ (biến môi trường RESULTGATE_CREDENTIAL), không ghi vào mã nguồn hay bảng tính.',
    en: "The lab keeps it in its server's secret store (the RESULTGATE_CREDENTIAL environment variable), never in source code or a spreadsheet.",
  },
  {
    vi: 'Cơ sở gửi một lô thử (POST /v1/results hoặc npm run submit) và kiểm tra kết quả đã lưu bằng GET /v1/results/{sampleId}.',
    en: 'The lab sends a test batch (POST /v1/results or npm run submit) and checks it was stored with GET /v1/results/{sampleId}.',
  },
  {
    vi: 'Xác nhận tên, tỉnh/thành và loại xét nghiệm của cơ sở trong GET /v1/facilities (sửa bằng `lab update` nếu sai).',
    en: "Confirm the lab's name, province and test types in GET /v1/facilities (correct them with `lab update`).",
  },
  {
    vi: 'Thống nhất người liên hệ hai bên và cách báo sự cố; nếu nghi lộ mã: `lab rotate <id>` ngay.',
    en: 'Agree on a contact on each side and how to report a problem; if the credential may have leaked: `lab rotate <id>` at once.',
  },
  {
    vi: 'Theo dõi `lab list`: cột "last result" cho biết lần gửi gần nhất; cơ sở im lặng quá lâu sẽ báo động StaleLabs.',
    en: 'Watch `lab list`: "last result" shows the latest upload; a lab silent for too long raises the StaleLabs alarm.',
  },
];

/** The checklist as text for the terminal: numbered, each step in Vietnamese then English. */
export const checklistText = (items: readonly ChecklistItem[] = LAB_ONBOARDING_CHECKLIST): string =>
  [
    'Các bước tiếp nhận cơ sở xét nghiệm / Lab onboarding checklist:',
    ...items.flatMap((item, i) => [`  ${i + 1}. [ ] ${item.vi}`, `         ${item.en}`]),
    '',
  ].join('\n');
