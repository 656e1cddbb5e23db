import type { PageRoute } from './page-route.ts';

export type RouteMatch = { kind: 'found'; route: PageRoute; params: Record<string, string> } | { kind: 'wrong_method'; allow: string[] } | { kind: 'none' };

/** Finds the route of a path: `{name}` matches one segment of `[A-Za-z0-9_-]`, up to 100 characters. */
export function matchPageRoute(routes: readonly PageRoute[], method: string, path: string): RouteMatch {
  const allow: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params === null) continue;
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { kind: 'found', route, params };
    allow.push(route.method);
  }
  return allow.length > 0 ? { kind: 'wrong_method', allow } : { kind: 'none' };
}

function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const part = want[i]!;
    const value = got[i]!;
    const name = /^\{([a-zA-Z]+)\}$/.exec(part)?.[1];
    if (name !== undefined) {
      if (!/^[A-Za-z0-9_-]{1,100}$/.test(value)) return null;
      params[name] = value;
    } else if (part !== value) return null;
  }
  return params;
}
