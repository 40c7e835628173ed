import { en } from 'zod/locales';
import { config } from 'zod/mini';

/**
 * The checkpoint's path (verify, pass checks, configuration) and the field rules every route shares are
 * written with zod/mini: the same core and the same parsing as classic zod, but tree-shakable, so the
 * verify bundle carries about 20 KB of zod instead of 90 KB, and starts faster (see `npm run bench`).
 * The contract's other schemas use classic zod and compose these freely, with `.check(z.refine(…),
 * z.meta(…))` where classic would chain methods.
 *
 * zod/mini installs no messages of its own (every problem would read "Invalid input"); importing this
 * module installs the English ones classic zod installs, so an answer reads the same in every bundle.
 */
config(en());
