/**
 * `npx tsx bench/ingest-cpu.ts`: the ingest handler's own CPU per 500-item batch, without the queue:
 * body reading (readJsonBody), item checks and HMACs (makeSubmitResults) and the messages' JSON (what
 * the queue adapter sends), each timed apart. Part (c) of bench/run.ts turns this cost into its ratio.
 */
import { randomBytes } from 'node:crypto';
import { makeSubmitResults } from '../functions/domain/ingest.js';
import { readJsonBody } from '../functions/http/request.js';
import type { QueuedResult } from '../functions/schemas/queued-result.js';
import { median, round } from './stats.js';

const ROUNDS = Number(process.env.ROUNDS ?? 200);
const now = Date.now();
const pepper = { secret: randomBytes(32), version: 1 };

/** Like bench/run.ts (c) (passports), and a CCCD batch with phones, for the costlier rules. */
const batchOf = (kind: 'passport' | 'cccd', b: number) => ({
  results: Array.from({ length: 500 }, (_, i) => {
    const n = b * 500 + i;
    return {
      sampleId: `B${b}-S${i}`,
      citizen:
        kind === 'passport'
          ? {
              idType: 'PASSPORT',
              idNumber: `C${String(n).padStart(8, '0')}`,
              fullName: 'Nguyễn Thị Ánh',
              dateOfBirth: '1990-05-17',
            }
          : {
              idType: 'CCCD',
              idNumber: `001 190 ${String(n % 1e6).padStart(6, '0')}`,
              fullName: ' Trần Văn Bình ',
              dateOfBirth: '1990-05-17',
              phone: '091 234 5678',
            },
      testType: 'RT_PCR',
      result: 'NEGATIVE',
      sampledAt: new Date(now - 7_200_000).toISOString(),
      resultedAt: new Date(now - 3_600_000).toISOString().replace('Z', '+00:00'),
    };
  }),
});

const lab = { id: 'lab-1', name: 'CDC Quảng Ninh', testTypes: ['RT_PCR', 'RAPID_ANTIGEN'] as const };
let sent: readonly QueuedResult[] = [];
const submit = makeSubmitResults({
  rules: { clock: { now: () => new Date() }, retentionDays: 30 },
  pepper: async () => pepper,
  queue: {
    send: async (messages) => {
      sent = messages;
    },
  },
});

const cpuMs = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage) =>
  (to.user - from.user + to.system - from.system) / 1000;

for (const kind of ['passport', 'cccd'] as const) {
  const events = Array.from({ length: 8 }, (_, b) => ({
    body: JSON.stringify(batchOf(kind, b)),
    isBase64Encoded: false,
  }));
  const read: number[] = [];
  const domain: number[] = [];
  const json: number[] = [];
  const total: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    const event = events[r % events.length] ?? events[0];
    if (!event) throw new Error('no event');
    const t0 = process.cpuUsage();
    const body = readJsonBody(event);
    const t1 = process.cpuUsage();
    const outcome = await submit(body, { ...lab, testTypes: [...lab.testTypes] });
    const t2 = process.cpuUsage();
    for (const message of sent) JSON.stringify(message);
    const t3 = process.cpuUsage();
    if (outcome.accepted !== 500) throw new Error(`accepted ${outcome.accepted}`);
    if (r < 20) continue; // warm-up
    read.push(cpuMs(t0, t1));
    domain.push(cpuMs(t1, t2));
    json.push(cpuMs(t2, t3));
    total.push(cpuMs(t0, t3));
  }
  console.log(
    `${kind}: CPU ms per 500-item batch, median of ${total.length}: read body ${round(median(read))}, check + HMAC ${round(median(domain))}, message JSON ${round(median(json))}, total ${round(median(total))}`,
  );
}
