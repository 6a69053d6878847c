// What a sync-map selects (spec config-sync.md §4.1, C-2…C-5): for each line, the first rule (by
// number) whose location is a word-wise prefix of it decides; no match is out of scope; the
// sync channel's own configuration is never in scope.
export interface SyncRule {
  number: number;
  action: 'include' | 'exclude';
  location: string[];
}

/** Never synchronized, whatever the rules say (C-4). */
export const HARD_EXCLUDED: readonly (readonly string[])[] = [
  ['system', 'config-sync'],
  ['service', 'https'],
];

export function isPrefix(prefix: readonly string[], words: readonly string[]): boolean {
  return prefix.length <= words.length && prefix.every((w, i) => words[i] === w);
}

export function hardExcluded(words: readonly string[]): boolean {
  return HARD_EXCLUDED.some((p) => isPrefix(p, words));
}

export function inScope(rules: readonly SyncRule[], words: readonly string[]): boolean {
  if (hardExcluded(words)) return false;
  const sorted = [...rules].sort((a, b) => a.number - b.number);
  return sorted.find((r) => isPrefix(r.location, words))?.action === 'include';
}

/** The lines of `lines` that `rules` select. */
export function scoped(rules: readonly SyncRule[], lines: readonly string[][]): string[][] {
  return lines.filter((l) => inScope(rules, l));
}

export interface ScopeDiff {
  /** In scope on the master, absent on the remote: to set there. */
  onlyOnMaster: string[][];
  /** In scope on the remote, absent on the master: to delete there. */
  onlyOnRemote: string[][];
}

export function scopeDiff(
  rules: readonly SyncRule[],
  master: readonly string[][],
  remote: readonly string[][],
): ScopeDiff {
  const key = (l: readonly string[]) => JSON.stringify(l);
  const m = scoped(rules, master);
  const r = scoped(rules, remote);
  const mk = new Set(m.map(key));
  const rk = new Set(r.map(key));
  return { onlyOnMaster: m.filter((l) => !rk.has(key(l))), onlyOnRemote: r.filter((l) => !mk.has(key(l))) };
}
