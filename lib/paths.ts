import { fileURLToPath } from 'node:url';

/** The project root (the folder holding package.json), resolved from this file so cwd does not matter. */
export const projectRoot = fileURLToPath(new URL('../', import.meta.url));
