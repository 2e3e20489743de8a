import { useEffect, useState } from 'react';

/** Client-side routes under /console/: the URL is the screen, so a reload or a sign-in returns to it. */
export const BASE = '/console/';

export function navigate(to: string): void {
  window.history.pushState(null, '', to.startsWith(BASE) ? to : `${BASE}${to.replace(/^\//, '')}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const read = () => ({ path: window.location.pathname.slice(BASE.length).replace(/\/$/, ''), query: new URLSearchParams(window.location.search) });
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return location;
}

/** Replaces the query of the current screen (kept in the URL so it survives a sign-in round trip). */
export function setQuery(values: Record<string, string | undefined>): void {
  const query = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === '') query.delete(key);
    else query.set(key, value);
  }
  const search = query.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${search ? `?${search}` : ''}`);
}
