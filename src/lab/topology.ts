// A lab topology as data: nodes (each one network namespace) and the veth links between them.

/**
 * router: its own network, mount and UTS namespaces (host name, bpffs and sysfs of its own) and a
 *   state directory — where tandemd runs.
 * host: a network namespace (LAN hosts, ISPs, servers); forwarding optional.
 * switch: a network namespace holding bridge `br0`; every link end on it becomes a bridge port.
 */
export type NodeKind = 'router' | 'host' | 'switch';

export interface RouteSpec {
  dst: string;
  via: string;
}

export interface NodeSpec {
  name: string;
  kind: NodeKind;
  /** IPv4/IPv6 forwarding (routers always forward). */
  forwarding?: boolean;
  routes?: RouteSpec[];
  /** Addresses on the node's loopback (e.g. a server's service address). */
  loopback?: string[];
}

export interface Endpoint {
  node: string;
  ifname: string;
  addresses?: string[];
  mac?: string;
}

export interface LinkSpec {
  a: Endpoint;
  b: Endpoint;
}

export interface Topology {
  nodes: NodeSpec[];
  links: LinkSpec[];
}

/** Checks names against the kernel's limits before anything is built. */
export function checkTopology(t: Topology): void {
  const names = new Set<string>();
  for (const n of t.nodes) {
    if (!/^[a-z][a-z0-9]{0,7}$/.test(n.name)) throw new Error(`lab node name '${n.name}': 1-8 of [a-z0-9]`);
    if (names.has(n.name)) throw new Error(`lab node '${n.name}' declared twice`);
    names.add(n.name);
  }
  const ends = new Set<string>();
  for (const l of t.links) {
    for (const e of [l.a, l.b]) {
      if (!names.has(e.node)) throw new Error(`lab link names unknown node '${e.node}'`);
      if (!/^[a-z][a-z0-9]{0,5}$/.test(e.ifname))
        throw new Error(`lab interface '${e.ifname}': 1-6 of [a-z0-9]`);
      const key = `${e.node}/${e.ifname}`;
      if (ends.has(key)) throw new Error(`lab interface ${key} used twice`);
      ends.add(key);
    }
  }
}

/** One switch `sw` and a node per member on it, each with one interface and address (a /24). */
export function switchedTopology(
  members: { name: string; address: string; kind?: 'host' | 'router'; ifname?: string }[],
): Topology {
  return {
    nodes: [
      { name: 'sw', kind: 'switch' },
      ...members.map((m) => ({ name: m.name, kind: m.kind ?? 'host' })),
    ],
    links: members.map((m) => ({
      a: { node: m.name, ifname: m.ifname ?? 'eth0', addresses: [`${m.address}/24`] },
      b: { node: 'sw', ifname: m.name },
    })),
  };
}
