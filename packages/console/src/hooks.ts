import { useCallback, useEffect, useState } from "preact/hooks";
import { errorMessage } from "./api.ts";

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  /** Loads again (after a change). */
  reload: () => void;
}

/** Loads data for a page, again whenever `deps` change or `reload()` is called. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({
    loading: true,
  });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error: errorMessage(error), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Sets the document's title, which screen readers announce on navigation. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Steward`;
  }, [title]);
}

export interface Submit {
  /** An action is running: its button shows busy. */
  busy: boolean;
  /** What the last action failed with, for a person. */
  error: string | undefined;
  /** Runs an action (a form's submit, a dialog's button), keeping busy and error up to date. */
  run: (action: () => Promise<unknown>) => Promise<void>;
}

/** The busy/error state of a form or a dialog's action. */
export function useSubmit(): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (cause) {
      setError(errorMessage(cause));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}

/**
 * Says that a page's data (or a part of it that loads on its own) is on screen: once `ready`,
 * `name` is among the words of `<body data-page-ready>` (CSS: `[data-page-ready~="usage"]`)
 * and a performance mark `steward:page-ready:<name>` records when (its time counts from the
 * navigation's start). The word goes while the data loads again (a new range, a reload) and when
 * the page unmounts. Tests and bench/console-pages.ts wait on them.
 */
export function usePageReady(name: string, ready: boolean): void {
  useEffect(() => {
    if (!ready) {
      return undefined;
    }
    const words = () => (document.body.dataset.pageReady ?? "").split(" ").filter(Boolean);
    document.body.dataset.pageReady = [...words().filter((w) => w !== name), name].join(" ");
    performance.mark(`steward:page-ready:${name}`);
    return () => {
      const rest = words().filter((w) => w !== name);
      if (rest.length > 0) {
        document.body.dataset.pageReady = rest.join(" ");
      } else {
        delete document.body.dataset.pageReady;
      }
    };
  }, [name, ready]);
}
