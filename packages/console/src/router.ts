/**
 * Client-side routing under /console/: the path after it names the page. History API only; a
 * reload or a deep link works because Steward serves index.html for every path without an
 * extension.
 */
import { useEffect, useState } from "preact/hooks";

export const BASE = "/console/";

/** The route of the page's URL: the path after /console/, without a trailing slash. */
export function currentRoute(): string {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : "";
  return path.replace(/\/+$/, "");
}

/** A console URL: `href("keys")` is `/console/keys`. */
export function href(route: string): string {
  return `${BASE}${route.replace(/^\/+/, "")}`;
}

const listeners = new Set<() => void>();

/** Shows another page; `replace` leaves no history entry (redirects). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = to.startsWith("/") ? to : href(to);
  if (options.replace) {
    history.replaceState(null, "", url);
  } else {
    history.pushState(null, "", url);
  }
  for (const listener of listeners) {
    listener();
  }
}

/** The current route and query, re-rendering on navigation and on back/forward. */
export function useRoute(): { route: string; query: URLSearchParams } {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const update = () => setVersion((n) => n + 1);
    listeners.add(update);
    addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      removeEventListener("popstate", update);
    };
  }, []);
  return { route: currentRoute(), query: new URLSearchParams(location.search) };
}

/**
 * Follows a click on a console link without reloading the page; modified clicks (new tab) and
 * other origins are left to the browser.
 */
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.target as Element | null)?.closest?.("a");
  if (
    !anchor ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey ||
    anchor.target ||
    anchor.hasAttribute("download") ||
    anchor.origin !== location.origin ||
    !anchor.pathname.startsWith(BASE)
  ) {
    return;
  }
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}
