import { useCallback, useEffect, useRef, useState } from 'react';

export type Resource<T> =
  | { status: 'loading'; data: undefined; error: undefined }
  | { status: 'ready'; data: T; error: undefined }
  | { status: 'error'; data: undefined; error: unknown };

/**
 * Loads something once per `key` and lets the page patch the loaded value after mutations
 * (`setData`) or fetch it again (`reload`).
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, key: string) {
  const [resource, setResource] = useState<Resource<T>>({ status: 'loading', data: undefined, error: undefined });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setResource((prev) => (prev.status === 'ready' && generation > 0 ? prev : { status: 'loading', data: undefined, error: undefined }));
    loadRef
      .current(controller.signal)
      .then((data) => {
        if (!controller.signal.aborted) setResource({ status: 'ready', data, error: undefined });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setResource({ status: 'error', data: undefined, error });
      });
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const setData = useCallback((update: (prev: T) => T) => {
    setResource((prev) => (prev.status === 'ready' ? { status: 'ready', data: update(prev.data), error: undefined } : prev));
  }, []);

  return { ...resource, reload, setData };
}

/** Runs one mutation at a time and remembers its error for display. */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> => {
    setPending(true);
    setError(null);
    try {
      const value = await fn();
      return { ok: true, value };
    } catch (caught) {
      if (mounted.current) setError(caught);
      return { ok: false };
    } finally {
      if (mounted.current) setPending(false);
    }
  }, []);

  const reset = useCallback(() => setError(null), []);
  return { pending, error, run, reset };
}

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Vigil` : 'Vigil';
  }, [title]);
}

/**
 * After a failed submit, moves focus to the form's first invalid input (if the error named one),
 * so keyboard and screen-reader users land on what needs fixing.
 */
export function useFocusFirstInvalid(form: { current: HTMLFormElement | null }, error: unknown): void {
  useEffect(() => {
    if (!error) return;
    const frame = requestAnimationFrame(() => {
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [form, error]);
}

export type LiveResource<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

/**
 * Loads something once per `key`, for a page that updates live: refresh() refetches without blanking
 * the page, keeping the last good copy on failure (and reporting it as `refreshError`); retry() loads
 * afresh after a failed first load; setData() patches the loaded value after a mutation.
 */
export function useLiveResource<T>(load: (signal: AbortSignal) => Promise<T>, key: string) {
  const [state, setState] = useState<LiveResource<T>>({ status: 'loading' });
  const [refreshError, setRefreshError] = useState<unknown>(null);
  const stateRef = useRef(state);
  stateRef.current = state;
  const loadRef = useRef(load);
  loadRef.current = load;
  const controller = useRef<AbortController | null>(null);
  const [attempt, setAttempt] = useState(0);

  const fetchData = useCallback(
    (initial: boolean) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      if (initial) setState({ status: 'loading' });
      loadRef
        .current(current.signal)
        .then((data) => {
          if (current.signal.aborted) return;
          setRefreshError(null);
          setState({ status: 'ready', data });
        })
        .catch((error: unknown) => {
          if (current.signal.aborted) return;
          if (stateRef.current.status === 'ready') setRefreshError(error);
          else setState({ status: 'error', error });
        });
    },
    // `key` names what is loaded: a new key makes a new fetchData, so the effect below loads afresh.
    [key],
  );

  useEffect(() => {
    fetchData(true);
    return () => controller.current?.abort();
  }, [fetchData, attempt]);

  const refresh = useCallback(() => {
    if (stateRef.current.status === 'loading') return;
    fetchData(stateRef.current.status === 'error');
  }, [fetchData]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const setData = useCallback((update: (prev: T) => T) => {
    setState((prev) => (prev.status === 'ready' ? { status: 'ready', data: update(prev.data) } : prev));
  }, []);

  return { state, refresh, retry, refreshError, setData };
}
