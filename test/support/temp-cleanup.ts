import { afterAll } from 'vitest';
import { removeTempDirs } from './temp.js';

// Runs after the file's own afterAll hooks (vitest runs after-hooks in reverse), so stacks are stopped first.
afterAll(removeTempDirs);
