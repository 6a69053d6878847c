// The root namespace's links, addresses and routes, for asserting that tests leave it untouched.
import * as ip from '../../../src/platform/ip.js';

export async function rootNamespaceSnapshot(): Promise<string> {
  const links = (await ip.links()).map((l) => `${l.ifname} ${l.flags.join(',')} ${l.master ?? ''}`);
  const addrs = (await ip.addresses()).flatMap((a) =>
    a.addr_info.map((i) => `${a.ifname} ${i.local}/${i.prefixlen}`),
  );
  const routes = [...(await ip.routes(undefined, '4')), ...(await ip.routes(undefined, '6'))].map(
    (r) => `${r.table ?? 'main'} ${r.dst} ${r.gateway ?? ''} ${r.dev ?? ''}`,
  );
  return [...links, ...addrs, ...routes].sort().join('\n');
}
