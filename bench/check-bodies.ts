import { isDeepStrictEqual } from 'node:util';
import type { Page } from './pages';
import { post } from './post';
import { type BenchServer, SERVER_NAMES, type ServerName } from './servers';

/**
 * Each server's answer to the page, once: the gateway's must be data without errors, T1's and T3's
 * `data` must equal it and their bodies have its size. Returns the bodies (what each server must
 * answer under load), or undefined after adding what is wrong to `problems`.
 */
export async function checkBodies(
  servers: Record<ServerName, BenchServer>,
  page: Page,
  body: string,
  token: string,
  problems: string[],
): Promise<Record<ServerName, string> | undefined> {
  const answers = await Promise.all(SERVER_NAMES.map((name) => post(servers[name].url, body, token)));
  const texts = Object.fromEntries(SERVER_NAMES.map((name, i) => [name, answers[i]!.text])) as Record<ServerName, string>;
  const parsed = answers.map(({ status, text }) => {
    try {
      const result = JSON.parse(text) as { data?: unknown; errors?: unknown };
      return status === 200 && !result.errors && result.data ? result.data : undefined;
    } catch {
      return undefined;
    }
  });
  const reference = parsed[SERVER_NAMES.indexOf('gateway')];
  if (reference === undefined) {
    problems.push(`${page.key}: the gateway answers ${texts.gateway.slice(0, 300)}`);
    return undefined;
  }
  const before = problems.length;
  SERVER_NAMES.forEach((name, i) => {
    if (!isDeepStrictEqual(parsed[i], reference)) {
      problems.push(`${page.key}: ${name}'s data differs from the gateway's at ${firstDifference(parsed[i], reference)} (${texts[name].slice(0, 200)})`);
    } else if (Buffer.byteLength(texts[name]) !== Buffer.byteLength(texts.gateway)) {
      problems.push(`${page.key}: ${name}'s body has ${Buffer.byteLength(texts[name])} bytes, the gateway's ${Buffer.byteLength(texts.gateway)}`);
    }
  });
  return problems.length === before ? texts : undefined;
}

/** Where two JSON values first differ, as a path and the two values there. */
function firstDifference(a: unknown, b: unknown, path = 'data'): string {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const [x, y] = [(a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]];
      if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${path}.${key}`);
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
}
