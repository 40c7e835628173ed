import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../cli/submit/progress.js';
import { collector } from './fakes.js';

const at = (rows: number, accepted: number, rejected: number, bytesRead: number) => ({
  rows,
  sent: rows,
  accepted,
  rejected,
  bytesRead,
});

describe('progress', () => {
  it('redraws a bar in place on a terminal, at most every interval', () => {
    const sink = collector(true);
    let time = 0;
    const progress = createProgress({
      sink,
      totalBytes: 1_000,
      clock: { now: () => new Date(time) },
      lang: 'en',
    });

    progress.update(at(500, 498, 2, 250));
    time = 50;
    progress.update(at(600, 598, 2, 300));
    time = 150;
    progress.update(at(1_000, 997, 3, 500));

    const frames = sink.text().split('\r\u001b[2K').filter(Boolean);
    expect(frames).toEqual([
      '[######------------------]  25% 500 rows sent · 498 accepted · 2 rejected',
      '[############------------]  50% 1,000 rows sent · 997 accepted · 3 rejected',
    ]);
  });

  it('writes plain lines now and then when stderr is not a terminal', () => {
    const sink = collector(false);
    let time = 0;
    const progress = createProgress({
      sink,
      totalBytes: 1_000,
      clock: { now: () => new Date(time) },
      plainIntervalMs: 5_000,
      lang: 'en',
    });

    progress.update(at(500, 500, 0, 500));
    time = 1_000;
    progress.update(at(1_000, 1_000, 0, 800));
    time = 2_000;
    progress.done(at(1_200, 1_200, 0, 1_000));

    expect(sink.text()).toBe(
      'submit: 500 rows sent · 500 accepted · 0 rejected (50% of the file read)\n' +
        'submit: 1,200 rows sent · 1,200 accepted · 0 rejected (100% of the file read)\n',
    );
  });

  it('does not repeat an unchanged plain line when the run ends', () => {
    const sink = collector(false);
    const progress = createProgress({ sink, totalBytes: 10, clock: { now: () => new Date(0) }, lang: 'en' });

    progress.update(at(6, 6, 0, 10));
    progress.done(at(6, 6, 0, 10));

    expect(sink.text()).toBe('submit: 6 rows sent · 6 accepted · 0 rejected (100% of the file read)\n');
  });

  it('clears the bar before a note so that the note stays readable', () => {
    const sink = collector(true);
    const progress = createProgress({ sink, totalBytes: 10, clock: { now: () => new Date(0) } });

    progress.update(at(1, 1, 0, 5));
    progress.note('retrying in 0.5 s');

    expect(sink.text().endsWith('\r\u001b[2Kretrying in 0.5 s\n')).toBe(true);
  });

  it('counts in Vietnamese by default, with Vietnamese digit grouping', () => {
    const sink = collector(false);
    const progress = createProgress({ sink, totalBytes: 10, clock: { now: () => new Date(0) } });

    progress.done(at(1_200, 1_198, 2, 10));

    expect(sink.text()).toBe(
      'submit: đã gửi 1.200 dòng · 1.198 được nhận · 2 bị từ chối (đã đọc 100% tệp)\n',
    );
  });
});
