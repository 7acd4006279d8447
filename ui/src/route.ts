import { useEffect, useState } from 'react';

/**
 * Hash routes (`#/sync/demo`): the service answers only `/` with the page, so every view lives after
 * the hash and a reload returns to the same view.
 */
export interface Route {
  page: string;
  connection: string | undefined;
}

export function parseRoute(hash: string): Route {
  const [page = 'dashboard', connection] = hash.replace(/^#\/?/, '').split('/');
  return { page: page || 'dashboard', connection: connection ? decodeURIComponent(connection) : undefined };
}

export function href(page: string, connection?: string): string {
  return connection ? `#/${page}/${encodeURIComponent(connection)}` : `#/${page}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
