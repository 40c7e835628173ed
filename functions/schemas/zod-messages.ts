import { en } from 'zod/locales';
import { config } from 'zod/mini';

/**
 * The shared fields, the holder's identity and the verify body are written with zod/mini: the same core
 * and the same parsing as classic zod, but tree-shakable, so a bundle carries only the parts it uses.
 * (The verify function goes further: it reads a valid body by hand and loads these schemas only to
 * explain a refusal; see schemas/verify-body-reader.ts.) The contract's other schemas (results, facilities,
 * queued and stored items) use classic zod and compose these freely, with `.check(z.refine(…),
 * z.meta(…))` where classic would chain methods.
 *
 * zod/mini installs no messages of its own (every problem would read "Invalid input"); importing this
 * module installs the English ones classic zod installs, so an answer reads the same in every bundle.
 */
config(en());
