// A DHCP server in a lab node (busybox udhcpd) that hands out exactly one address; serving another
// replaces the server, as an ISP that changes its customer's lease.
import type { Lab, LabProcess } from '../../../src/lab/lab.js';

interface Tracker {
  track(p: LabProcess): LabProcess;
  forget(p: LabProcess): void;
}

/** `serve(address, options)`: udhcpd on `ifname` of `node` leasing `address` with `option` lines
 * such as `subnet 255.255.255.0` or `router 192.0.2.62` (lease 600 s). */
export function dhcpServer(lab: Lab, labs: Tracker, node: string, ifname = 'eth0') {
  let server: LabProcess | undefined;
  return async (address: string, options: string[]): Promise<void> => {
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
      labs.forget(server);
    }
    const conf = `${lab.dir(node)}/udhcpd-${address}.conf`;
    await lab.exec(node, ['sh', '-c', `cat > ${conf}`], {
      input: [
        `start ${address}`,
        `end ${address}`,
        `interface ${ifname}`,
        'max_leases 1',
        `lease_file ${conf}.leases`,
        `pidfile ${conf}.pid`,
        ...options.map((o) => `option ${o}`),
        'option lease 600',
        '',
      ].join('\n'),
    });
    server = labs.track(lab.spawn(node, ['busybox', 'udhcpd', '-f', conf], { logName: 'udhcpd' }));
  };
}
