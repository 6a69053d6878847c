// conntrackd as a reference peer in lab tests: a generated conntrackd.conf (FTFW over multicast on
// one interface) and helpers to receive and send raw sync datagrams with Node.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab, LabProcess } from '../../../src/lab/lab.js';

export const SYNC_GROUP = '225.0.0.50';
export const SYNC_PORT = 3780;

export async function spawnConntrackd(
  lab: Lab,
  node: string,
  ifname: string,
  address: string,
): Promise<LabProcess> {
  const dir = lab.dir(node);
  const conf = join(dir, 'conntrackd.conf');
  await writeFile(
    conf,
    `Sync {
  Mode FTFW {
  }
  Multicast {
    IPv4_address ${SYNC_GROUP}
    Group ${SYNC_PORT}
    IPv4_interface ${address}
    Interface ${ifname}
    SndSocketBuffer 1249280
    RcvSocketBuffer 1249280
    Checksum on
  }
}
General {
  HashSize 8192
  HashLimit 65536
  LogFile ${join(dir, 'conntrackd.log')}
  Syslog off
  LockFile ${join(dir, 'conntrackd.lock')}
  UNIX {
    Path ${join(dir, 'conntrackd.ctl')}
  }
  NetlinkBufferSize 2097152
  NetlinkBufferSizeMaxGrowth 8388608
  Filter From Userspace {
    Protocol Accept {
      TCP
      UDP
      ICMP
    }
    Address Ignore {
      IPv4_address 127.0.0.1
      IPv4_address ${address}
    }
  }
}
`,
  );
  return lab.spawn(node, ['/usr/sbin/conntrackd', '-C', conf], { logName: 'conntrackd-run' });
}

/** conntrackd's control command against the daemon started with spawnConntrackd. */
export async function conntrackdCtl(lab: Lab, node: string, args: string[]): Promise<string> {
  const conf = join(lab.dir(node), 'conntrackd.conf');
  return (await lab.exec(node, ['/usr/sbin/conntrackd', '-C', conf, ...args], { allowFailure: true })).stdout;
}
