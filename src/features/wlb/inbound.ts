// Resolves a rule's inbound-interface (a name, or a prefix ending in `+` / `*`) against the
// interfaces present now (spec §2.3, W-11).

/** True when `ifname` is covered by the inbound-interface value `spec`. */
export function inboundMatches(spec: string, ifname: string): boolean {
  const last = spec.at(-1);
  if (last === '+' || last === '*') return ifname.startsWith(spec.slice(0, -1));
  return ifname === spec;
}

/** The present interfaces (name → ifindex) a spec covers, ifindexes ascending. */
export function inboundIfindexes(spec: string, present: ReadonlyMap<string, number>): number[] {
  return [...present]
    .filter(([name]) => name !== 'lo' && inboundMatches(spec, name))
    .map(([, index]) => index)
    .sort((a, b) => a - b);
}
