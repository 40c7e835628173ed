/**
 * Runs `load` once and shares its promise with every caller; a failure is not kept, so the next call
 * tries again (a cold start must not stay broken because one read of a secret or key timed out).
 */
export const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
};
