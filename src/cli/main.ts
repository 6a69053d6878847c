// `tandem`: the operator CLI. Exit codes: 0 ok, 1 rejected (with the reason), 2 usage.
import { TandemError } from '../errors.js';
import { runConfigureScript, runConfigureShell } from './configureShell.js';
import {
  attachCountersCommand,
  detachCountersCommand,
  showInterfaceCounters,
} from './interfaceCountersCommands.js';
import {
  labDownCommand,
  labExec,
  labKill,
  labStatus,
  labStream,
  labStreamEnd,
  labUp,
} from './labCommands.js';
import { backgroundVrrpMonitor, inSession } from './backgroundMonitor.js';
import { monitorLog, showConfiguration, showLog, showSystemCommit } from './opCommands.js';
import { RpcClient, socketPath } from './rpcClient.js';
import { resetVrrp, restartVrrp, showInterfacesVrrp, showVrrp } from './vrrpCommands.js';
import { restartWlb, showWlb } from './wlbCommands.js';
import { showConntrackSync } from './ctsyncCommands.js';
import { showFastPath } from './fastPathCommands.js';
import { forceCluster, restartCluster, showCluster } from './clusterCommands.js';
import { showConfigSync, updateConfigSync } from './configSyncCommands.js';
import { showVersion } from './versionCommand.js';
import {
  addSystemImage,
  asRoot,
  bootCheckCommand,
  deleteSystemImage,
  installImageCommand,
  rebootCommand,
  setDefaultBoot,
  showSystemImage,
} from './imageCommands.js';
import { formatDiskCommand, showDiskFormatCommand } from './diskCommands.js';
import { runOpShell } from './opShell.js';
import { ask } from './prompt.js';
import { addRaidCommand, deleteRaidCommand, showRaidCommand } from './raidCommands.js';
import { Exit, splitFlags, UsageError } from './usage.js';

const USAGE = `usage: tandem [--socket PATH] <command>
  configure                                  configuration mode (a script on stdin when not a terminal)
  shell                                      operational mode: these commands without "tandem" (a login shell)
  help                                       this list
  show configuration [<path>…] [--all] [--json]
  show version [--json]
  show system image [--json]
  install image [--raid1] [disk <d> [<d2>]] [--auto]  install the running image (erases the disks)
  add system image <iso-file> [--auto]       add an image beside the installed ones; it boots next
  delete system image <name> [--auto]
  set system image default-boot <name>
  reboot [--auto]
  show raid [<md>] [--json]                  RAID 1 sets: all, or one in detail
  add raid <md> member <partition> [--auto]  rebuild the mirror onto a (replacement) partition
  delete raid <md> member <partition>        take a (failed) member out of the mirror
  show disk <disk> format [--json]           a disk's partition table
  format <disk> like <disk> [--auto]         copy a partition table onto a replacement disk
  show system commit [--json]
  show system fast-path [flows] [--json]
  show cluster status [--json]
  force cluster active|standby
  restart cluster
  show config-sync difference|status [<addr> [detail]] [--json]
  update config-sync [<addr>]
  show log [<feature>] [--json]
  monitor log [<feature>] [--json]           new log entries as they appear, until Ctrl-C
  monitor vrrp [--json]                      the VRRP log as it happens
  monitor vrrp background start|stop         the VRRP log printed while a shell session goes on
  show vrrp [detail | summary | interface <if> [group <id>] | statistics … | sync-group …] [--json]
  show interfaces vrrp [<vrrp-if> | detail] [--json]
  reset vrrp master interface <if> group <group-id>
  reset vrrp statistics [interface <if> [group <group-id>]]
  restart vrrp [process]
  show interfaces counters [--json]
  dataplane attach-counters|detach-counters [<ifname>…]
  lab up|status [--json]|exec <node> <command…>|kill <node>|stream [seconds]|down`;

async function withDaemon<T>(socket: string | undefined, fn: (c: RpcClient) => Promise<T>): Promise<T> {
  const client = await RpcClient.connect(socketPath(socket));
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

async function dispatch(argv: string[]): Promise<number> {
  let socket: string | undefined;
  // `run …` inside configuration mode: the same dispatcher, on the same socket.
  const runOp = (words: string[]) => main(socket ? ['--socket', socket, ...words] : words);
  if (argv[0] === '--socket') {
    socket = argv[1];
    if (!socket) throw new UsageError(USAGE);
    argv = argv.slice(2);
  }
  const [cmd, sub, ...rest] = argv;
  const print = (s: string) => {
    if (s) process.stdout.write(`${s}\n`);
  };
  if (cmd === 'lab') {
    // `exec` passes everything after the node through untouched (flags included).
    if (sub === 'exec') return labExec(rest[0], rest.slice(1));
    const { words, flags } = splitFlags(rest);
    if (sub === 'stream') return labStream(words[0]);
    // The stream's two ends, which `lab stream` runs inside the lab's nodes.
    if (sub === 'stream-server' || sub === 'stream-client') return labStreamEnd([sub, ...words]);
    if (sub === 'up') print(await labUp());
    else if (sub === 'status') print(await labStatus(flags.has('json')));
    else if (sub === 'kill') print(await labKill(words[0]));
    else if (sub === 'down') print(await labDownCommand());
    else throw new UsageError(USAGE);
    return Exit.ok;
  }
  if ((cmd === 'help' || cmd === '--help') && argv.length === 1) {
    print(USAGE);
    return Exit.ok;
  }
  // Operational mode as a login shell: every line through this dispatcher.
  if (cmd === 'shell' && argv.length === 1) return inSession(() => runOpShell(runOp));
  if (cmd === 'configure' && argv.length === 1) {
    return inSession(() =>
      withDaemon(socket, (c) =>
        process.stdin.isTTY ? runConfigureShell(c, runOp) : runConfigureScript(c, process.stdin, runOp),
      ),
    );
  }
  const { words, flags } = splitFlags(argv.slice(1));
  const json = flags.has('json');
  const imageCommand =
    (cmd === 'install' && words[0] === 'image') ||
    ((cmd === 'add' || cmd === 'delete') && words[0] === 'system' && words[1] === 'image') ||
    (cmd === 'set' && words[0] === 'system' && words[1] === 'image') ||
    (cmd === 'system-image' && words[0] === 'boot-check') ||
    (cmd === 'reboot' && words.length === 0);
  // RAID sets and partition tables: mdadm, sfdisk and the disks themselves need root too.
  const diskCommand =
    ((cmd === 'show' || cmd === 'add' || cmd === 'delete' || cmd === 'remove') && words[0] === 'raid') ||
    (cmd === 'show' && words[0] === 'disk') ||
    cmd === 'format';
  if (diskCommand) {
    const code = await asRoot(argv);
    if (code !== null) return code;
    let out: string;
    if (cmd === 'show' && words[0] === 'raid') out = await showRaidCommand(words.slice(1), json);
    else if (cmd === 'add') out = await addRaidCommand(words.slice(1), flags, print);
    else if (cmd === 'delete' || cmd === 'remove') out = await deleteRaidCommand(words.slice(1), cmd);
    else if (cmd === 'show') out = await showDiskFormatCommand(words.slice(1), json);
    else out = await formatDiskCommand(words, flags, (q, d) => ask(q, d, flags.has('auto')));
    if (out) print(out);
    return Exit.ok;
  }
  if (imageCommand) {
    // Partitions, mounts and the boot loader: root only (sudo for the operator's login).
    const code = await asRoot(argv);
    if (code !== null) return code;
    if (cmd === 'install') print(await installImageCommand(words.slice(1), flags, print));
    else if (cmd === 'add') print(await addSystemImage(words.slice(2), flags, print));
    else if (cmd === 'delete') print(await deleteSystemImage(words.slice(2), flags));
    else if (cmd === 'set' && words[2] === 'default-boot') print(await setDefaultBoot(words.slice(3)));
    else if (cmd === 'system-image') print(await bootCheckCommand(print));
    else if (cmd === 'reboot') print(await rebootCommand(flags, print));
    else throw new UsageError(USAGE);
    return Exit.ok;
  }
  if (cmd === 'show' && words[0] === 'version' && words.length === 1) {
    print(await showVersion(json));
  } else if (cmd === 'show' && words[0] === 'configuration') {
    print(await withDaemon(socket, (c) => showConfiguration(c, words.slice(1), json, flags.has('all'))));
  } else if (cmd === 'show' && words[0] === 'system' && words[1] === 'commit' && words.length === 2) {
    print(await withDaemon(socket, (c) => showSystemCommit(c, json)));
  } else if (cmd === 'show' && words[0] === 'system' && words[1] === 'image' && words.length === 2) {
    print(await showSystemImage(json));
  } else if (cmd === 'show' && words[0] === 'system' && words[1] === 'fast-path') {
    print(await withDaemon(socket, (c) => showFastPath(c, words.slice(2), json)));
  } else if (cmd === 'show' && words[0] === 'log' && words.length <= 2) {
    print(await withDaemon(socket, (c) => showLog(c, words[1], json)));
  } else if (cmd === 'monitor' && words[0] === 'vrrp' && words[1] === 'background' && words.length === 3) {
    print(await backgroundVrrpMonitor(words[2], socketPath(socket)));
  } else if (cmd === 'monitor' && (words[0] === 'log' || words[0] === 'vrrp') && words.length <= 2) {
    const feature = words[0] === 'vrrp' ? 'vrrp' : words[1];
    const limit = process.env.TANDEM_MONITOR_SECONDS
      ? Number(process.env.TANDEM_MONITOR_SECONDS) * 1000
      : undefined;
    await withDaemon(socket, (c) => monitorLog(c, feature, json, print, { limitMs: limit }));
  } else if (cmd === 'show' && words[0] === 'interfaces' && words[1] === 'vrrp' && words.length <= 3) {
    print(await withDaemon(socket, (c) => showInterfacesVrrp(c, words.slice(2), json)));
  } else if (cmd === 'show' && words[0] === 'vrrp') {
    print(await withDaemon(socket, (c) => showVrrp(c, words.slice(1), json)));
  } else if (cmd === 'reset' && words[0] === 'vrrp') {
    print(await withDaemon(socket, (c) => resetVrrp(c, words.slice(1))));
  } else if (cmd === 'restart' && words[0] === 'vrrp') {
    print(await withDaemon(socket, (c) => restartVrrp(c, words.slice(1))));
  } else if (cmd === 'show' && words[0] === 'cluster') {
    print(await withDaemon(socket, (c) => showCluster(c, words.slice(1), json)));
  } else if (cmd === 'show' && words[0] === 'config-sync') {
    print(await withDaemon(socket, (c) => showConfigSync(c, words.slice(1), json)));
  } else if (cmd === 'update' && words[0] === 'config-sync') {
    print(await withDaemon(socket, (c) => updateConfigSync(c, words.slice(1), json)));
  } else if (cmd === 'restart' && words[0] === 'cluster') {
    print(await withDaemon(socket, (c) => restartCluster(c, words.slice(1))));
  } else if (cmd === 'force' && words[0] === 'cluster') {
    print(await withDaemon(socket, (c) => forceCluster(c, words.slice(1))));
  } else if (cmd === 'show' && words[0] === 'conntrack-sync') {
    print(await withDaemon(socket, (c) => showConntrackSync(c, words.slice(1), json)));
  } else if (cmd === 'show' && words[0] === 'wan-load-balance') {
    print(await withDaemon(socket, (c) => showWlb(c, words.slice(1), json)));
  } else if (cmd === 'restart' && words[0] === 'wan-load-balance') {
    print(await withDaemon(socket, (c) => restartWlb(c, words.slice(1))));
  } else if (cmd === 'show' && words[0] === 'interfaces' && words[1] === 'counters') {
    print(await showInterfaceCounters(json));
  } else if (cmd === 'dataplane' && words[0] === 'attach-counters') {
    print(await attachCountersCommand(words.slice(1)));
  } else if (cmd === 'dataplane' && words[0] === 'detach-counters') {
    print(await detachCountersCommand(words.slice(1)));
  } else {
    throw new UsageError(USAGE);
  }
  return Exit.ok;
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return Exit.usage;
    }
    process.stderr.write(
      `error: ${e instanceof TandemError ? e.message : e instanceof Error ? e.stack : String(e)}\n`,
    );
    return Exit.rejected;
  }
}
