import * as z from 'zod';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../../contract/limits.js';
import { viEn } from '../bilingual.js';
import { type Command, define } from './define.js';

/** The `cache` commands. */
export const cacheCommands: readonly Command[] = [
  define({
    noun: 'cache',
    verb: 'flush',
    summary: {
      vi: 'xoá bộ nhớ đệm mã truy cập của cổng API (các lệnh revoke và rotate tự làm việc này)',
      en: "forget the gateway's cached credentials (the revoke and rotate commands do it themselves)",
    },
    synopsis: '',
    description: {
      vi:
        'Xoá bộ nhớ đệm của bộ xác thực (authorizer) trên stage API, để mọi mã truy cập được kiểm tra lại ở yêu\n' +
        'cầu tiếp theo. Các lệnh revoke, suspend, resume và rotate tự làm việc này; hãy dùng lệnh này sau khi sửa\n' +
        'sổ đăng ký bằng tay, hoặc khi một trong các lệnh đó không xoá được bộ nhớ đệm. Nếu không, bộ nhớ đệm tự\n' +
        `hết hạn trong vòng ${AUTHORIZER_CACHE_TTL_SECONDS} giây.`,
      en:
        "Flushes the API stage's authorizer cache, so every credential is checked again at its next request.\n" +
        'The revoke, suspend, resume and rotate commands do this themselves; use it after a change made to\n' +
        `the registry by hand, or when one of them could not flush. Otherwise the cache forgets within ${AUTHORIZER_CACHE_TTL_SECONDS} s.`,
    },
    options: [],
    examples: ['npm run admin -- cache flush --stack ResultGate-prod'],
    schema: z.object({}),
    run: async (_args, target) => {
      const outcome = await target.flushAuthorizerCache();
      return {
        json: { cacheFlushed: outcome === 'flushed' },
        text: `${
          outcome === 'flushed'
            ? viEn(
                'Đã xoá bộ nhớ đệm mã truy cập của cổng API.',
                "The gateway's credential cache was flushed.",
              )
            : viEn(
                'Cổng API của ngăn xếp này không có chức năng xoá bộ nhớ đệm (ngăn xếp cục bộ không có mã điều khiển): không có gì để làm.',
                "This stack's gateway offers no cache flush (a local stack without a control token): nothing to do.",
              )
        }\n`,
      };
    },
  }),
];
