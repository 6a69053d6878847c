// conntrackd as a reference peer in lab tests: a generated conntrackd.conf (FTFW over multicast on
// one interface) and helpers to receive and send raw sync datagrams with Node.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab, LabProcess } from '../../../src/lab/lab.js';
import { LAB_ADDRESSES } from '../../../src/lab/standardTopology.js';

/** conntrack-sync between r1 and r2 of the standard HA lab, bound to its VRRP sync group. */
export const syncLines = [
  'service conntrack-sync interface eth2',
  'service conntrack-sync failover-mechanism vrrp sync-group LAB',
];

/** The kernel's FTP helper on every connection to port 21 that `node` forwards or opens itself. */
export async function ftpHelper(lab: Lab, node: string): Promise<void> {
  await lab.exec(node, ['nft', '-f', '-'], {
    input: `table ip labftphelper {
  ct helper ftp-std { type "ftp" protocol tcp; }
  chain pre {
    type filter hook prerouting priority filter; policy accept;
    tcp dport 21 ct helper set "ftp-std"
  }
  chain out {
    type filter hook output priority filter; policy accept;
    tcp dport 21 ct helper set "ftp-std"
  }
}
`,
  });
}

/** Source NAT of the LAN to the wan1 VIP, and no mid-stream pick-up of unknown TCP connections. */
export async function natRouter(lab: Lab, node: string): Promise<void> {
  await lab.exec(node, ['sysctl', '-q', '-w', 'net.netfilter.nf_conntrack_tcp_loose=0']);
  await lab.exec(node, ['nft', '-f', '-'], {
    input: `table ip labnat {\n  chain post {\n    type nat hook postrouting priority srcnat; policy accept;\n    oifname "eth0" ip saddr ${LAB_ADDRESSES.lanPrefix} snat to ${LAB_ADDRESSES.wan1Vip}\n  }\n}\n`,
  });
}

export const SYNC_GROUP = '225.0.0.50';
export const SYNC_PORT = 3780;

/**
 * conntrackd with FTFW on `ifname`. `expectSync`: the helpers whose expectations it syncs;
 * `hashLimit`: the most entries its caches hold (the generated configuration's is twice
 * nf_conntrack_max; 65,536 here unless a benchmark needs more).
 */
export async function spawnConntrackd(
  lab: Lab,
  node: string,
  ifname: string,
  address: string,
  opts: { expectSync?: string[]; hashLimit?: number } = {},
): Promise<LabProcess> {
  const expectSync = opts.expectSync ?? [];
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
  }${expectSync.length ? `\n  Options {\n    ExpectationSync {\n${expectSync.map((h) => `      ${h}\n`).join('')}    }\n  }` : ''}
}
General {
  HashSize 8192
  HashLimit ${opts.hashLimit ?? 65536}
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
