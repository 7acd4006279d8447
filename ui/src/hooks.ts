import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** GET a path and keep its answer, error and loading state; `path` undefined loads nothing. */
export function useGet<T>(path: string | undefined): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== undefined);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick re-runs the request on reload
  useEffect(() => {
    if (path === undefined) return;
    let live = true;
    setLoading(true);
    api<T>('GET', path)
      .then((answer) => {
        if (!live) return;
        setData(answer);
        setError(undefined);
      })
      .catch((e: unknown) => live && setError(asApiError(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, { code: 'unexpected', message: String(e), fix: 'Reload the page.' });
}
