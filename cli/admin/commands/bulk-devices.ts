/** `device add --count N --name-prefix P [--sheet F]`: many checkpoint devices at once, and their pairing sheet. */
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import * as z from 'zod';
import { DEFAULT_MODE, NATIONAL } from '../../../contract/rules.js';
import { viEn } from '../bilingual.js';
import { EXIT, UsageError } from '../errors.js';
import { type Output, table } from '../output.js';
import { pairingSheetHtml, type SheetDevice } from '../pairing-sheet.js';
import type { Target } from '../target.js';
import { required, requiredId } from './define.js';
import { provisionKey, registryOf } from './principal-output.js';

export const MAX_DEVICES_AT_ONCE = 500;
/** CreateApiKey allows 5 requests/s per account: one device every 250 ms stays under it. */
export const AWS_KEY_INTERVAL_MS = 250;

const integer = /^[0-9]+$/;

export const bulkAddSchema = z
  .object({
    name: z.string().trim().optional(),
    count: z.string().optional(),
    'name-prefix': z.string().optional(),
    sheet: z.string().trim().optional(),
    jurisdiction: z.string().trim().toUpperCase().default(NATIONAL),
    mode: z.string().trim().toUpperCase().default(DEFAULT_MODE),
  })
  .check((ctx) => {
    const a = ctx.value;
    const many = a.count !== undefined || a['name-prefix'] !== undefined;
    const problem = (vi: string, en: string) =>
      ctx.issues.push({ code: 'custom', message: viEn(vi, en), input: a });
    if (many && a.name !== undefined)
      problem(
        'dùng --name cho một thiết bị, hoặc --count cùng --name-prefix, không dùng cả hai',
        'give --name for one device, or --count with --name-prefix, not both',
      );
    else if (!many && (a.name === undefined || a.name === ''))
      problem('thiếu --name <name>', '--name <name> is required');
    else if (many && (a.count === undefined || a['name-prefix'] === undefined))
      problem('--count và --name-prefix phải đi cùng nhau', '--count and --name-prefix go together');
    else if (
      many &&
      (!integer.test(a.count ?? '') || Number(a.count) < 1 || Number(a.count) > MAX_DEVICES_AT_ONCE)
    )
      problem(
        `--count nhận một số nguyên từ 1 đến ${MAX_DEVICES_AT_ONCE}`,
        `--count takes a whole number from 1 to ${MAX_DEVICES_AT_ONCE}`,
      );
    if (!many && a.sheet !== undefined) problem('--sheet chỉ dùng cùng --count', '--sheet goes with --count');
    if (a.sheet !== undefined && !/\.html?$/i.test(a.sheet))
      problem('--sheet phải là tên một tệp .html', '--sheet names an .html file');
  })
  .transform((a) =>
    a.count === undefined
      ? { kind: 'one' as const, name: a.name ?? '', scope: { jurisdiction: a.jurisdiction, mode: a.mode } }
      : {
          kind: 'many' as const,
          count: Number(a.count),
          prefix: a['name-prefix'] ?? '',
          sheet: a.sheet,
          scope: { jurisdiction: a.jurisdiction, mode: a.mode },
        },
  );

export type BulkAdd = Extract<z.output<typeof bulkAddSchema>, { kind: 'many' }>;

export const nameUpdate = (what: string) =>
  z.object({ id: requiredId(what, `${what} list`), name: required('--name <name>') });

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The names to give: numbering goes on after the highest `<prefix><digits>` already registered. */
export const numberedNames = (prefix: string, count: number, existing: readonly string[]): string[] => {
  const pattern = new RegExp(`^${escapeRegExp(prefix.normalize('NFC'))}(\\d+)$`, 'u');
  const highest = Math.max(
    0,
    ...existing.map((name) => Number(pattern.exec(name.normalize('NFC'))?.[1] ?? 0)),
  );
  const width = Math.max(3, String(highest + count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}${String(highest + i + 1).padStart(width, '0')}`);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const addDevices = async (args: BulkAdd, target: Target): Promise<Output> => {
  const registry = registryOf(target);
  const names = numberedNames(
    args.prefix,
    args.count,
    (await registry.list('checkpoint')).map((d) => d.name),
  );
  // Claim the sheet's file first (never replacing one, readable by the operator only), so a wrong path
  // stops the command before any credential exists.
  let sheet: FileHandle | undefined;
  if (args.sheet !== undefined) {
    sheet = await open(args.sheet, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600).catch(
      (error: unknown) => {
        const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
        throw new UsageError(
          code === 'EEXIST'
            ? viEn(
                `${args.sheet} đã có và không bao giờ bị ghi đè: hãy chọn tên khác cho --sheet.`,
                `${args.sheet} already exists and is never replaced: choose another --sheet.`,
              )
            : `Không tạo được / cannot create ${args.sheet}: ${error instanceof Error ? error.message : String(error)}.`,
        );
      },
    );
  }
  const added: SheetDevice[] = [];
  const warnings: string[] = [];
  let stopped: string | undefined;
  const paced = target.kind === 'aws';
  try {
    for (const name of names) {
      const started = Date.now();
      const issued = await registry.addDevice(name, args.scope);
      added.push({ ...issued, name });
      const key = await provisionKey(target, issued.id, 'checkpoint');
      if (key.failed) warnings.push(`${issued.id}: ${key.note}`);
      target.progress?.(`\r${added.length}/${names.length} thiết bị / devices`);
      if (paced) await sleep(Math.max(0, AWS_KEY_INTERVAL_MS - (Date.now() - started)));
    }
  } catch (error) {
    // Keep what was made: its credentials exist only in this process, so they still go out below.
    stopped = error instanceof Error ? error.message : String(error);
  } finally {
    target.progress?.('\n');
  }
  if (sheet !== undefined) {
    try {
      await sheet.writeFile(
        await pairingSheetHtml(added, {
          stack: target.description,
          createdAt: target.serviceClock.now().toISOString(),
        }),
      );
    } finally {
      await sheet.close();
    }
  }
  const problems = [
    ...(stopped === undefined
      ? []
      : [
          `Dừng sau ${added.length}/${names.length} thiết bị / stopped after ${added.length} of ${names.length} devices: ${stopped}`,
        ]),
    ...warnings,
  ];
  const shown = added.map((d) => ({
    id: d.id,
    name: d.name,
    ...(sheet === undefined ? { credential: d.credential } : {}),
  }));
  return {
    json: {
      devices: added,
      sheet: args.sheet ?? null,
      ...(problems.length > 0 ? { warnings: problems } : {}),
    },
    text:
      table(shown, sheet === undefined ? ['id', 'name', 'credential'] : ['id', 'name']) +
      `Đã đăng ký ${added.length} thiết bị / ${added.length} device(s) registered.\n` +
      (sheet === undefined
        ? 'Giữ kỹ các mã: chỉ hiện một lần / keep the credentials safe: they are shown only this once.\n'
        : `Tờ mã ghép nối / pairing sheet: ${args.sheet} — mỗi mã QR là một mã truy cập, in xong thì xoá tệp / each QR is a credential: delete the file once printed.\n`) +
      problems.map((p) => `${p}\n`).join(''),
    ...(problems.length > 0 ? { exitCode: EXIT.FAILED } : {}),
  };
};
