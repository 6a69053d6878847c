// A qemu guest (the appliance image in tests and benchmarks) and its serial console as a
// conversation: wait for text, type lines. Under TCG (no KVM here) waits are generous hang guards,
// not timing goals. qemu dies with the process that started it (parent-death signal), so a killed
// test run leaves no guest behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Guest {
  private static count = 0;
  private output = '';
  private constructor(
    private readonly qemu: ChildProcess,
    private readonly socket: Socket,
    private readonly dir: string,
  ) {
    // TANDEM_GUEST_CONSOLE_DIR: a copy of every console as it happens, to follow a slow test
    // (vitest reports only when a file ends) or to find why one hung.
    const copyDir = process.env.TANDEM_GUEST_CONSOLE_DIR;
    const copy = copyDir ? join(copyDir, `guest-${process.pid}-${++Guest.count}.log`) : null;
    socket.on('data', (d: Buffer) => {
      this.output += d.toString('utf8');
      if (copy) appendFileSync(copy, d);
    });
  }

  /** Boots qemu with `args` (disks, cdrom…) and the serial console on a private unix socket. */
  static async boot(
    args: string[],
    opts: {
      memoryMb?: number;
      reboot?: boolean;
      /** Runs qemu through this (e.g. inside a lab namespace, where its tap devices are). */
      wrap?: (argv: string[]) => string[];
    } = {},
  ): Promise<Guest> {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-guest-'));
    const path = join(dir, 'serial.sock');
    const [file, ...argv] = [
      'setpriv',
      '--pdeathsig',
      'KILL',
      '--',
      ...(opts.wrap ?? ((a: string[]) => a))([
        'qemu-system-x86_64',
        '-m',
        String(opts.memoryMb ?? 1536),
        '-smp',
        '2',
        '-display',
        'none',
        '-monitor',
        'none',
        // A reboot ends qemu unless the test wants to watch the guest come back by itself.
        ...(opts.reboot ? [] : ['-no-reboot']),
        '-chardev',
        `socket,id=s0,path=${path},server=on,wait=on`,
        '-serial',
        'chardev:s0',
        ...args,
      ]),
    ];
    const qemu = spawn(file!, argv, { stdio: 'ignore' });
    let socket: Socket | undefined;
    for (let i = 0; i < 200 && !socket; i++) {
      socket = await new Promise<Socket | undefined>((resolve) => {
        const s = connect(path);
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(undefined));
      });
      if (!socket) await new Promise((r) => setTimeout(r, 50));
    }
    if (!socket) {
      qemu.kill('SIGKILL');
      throw new Error('qemu serial console did not come up');
    }
    return new Guest(qemu, socket, dir);
  }

  get text(): string {
    return this.output;
  }

  /** Waits until the console shows `pattern` after position `from`; returns the match's end. */
  async expect(pattern: RegExp, timeoutMs: number, from = 0): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      const m = pattern.exec(this.output.slice(from));
      if (m) return from + m.index + m[0].length;
      if (this.qemu.exitCode !== null)
        throw new Error(`guest stopped; console:\n${this.output.slice(-2000)}`);
      if (Date.now() - t0 > timeoutMs)
        throw new Error(
          `no ${pattern} on the console in ${timeoutMs} ms; console:\n${this.output.slice(-2000)}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  type(line: string): void {
    this.socket.write(`${line}\r`);
  }

  /** Runs a shell command at a prompt and returns its output (between the echo and the marker). */
  async shell(command: string, timeoutMs = 60_000): Promise<{ output: string; code: number }> {
    const mark = `__done_${Math.random().toString(36).slice(2)}`;
    const from = this.output.length;
    this.type(`${command}; echo ${mark}=$?`);
    const end = await this.expect(new RegExp(`${mark}=(\\d+)`), timeoutMs, from);
    const seen = this.output.slice(from, end);
    const code = Number(/=(\d+)$/.exec(seen)![1]);
    // The output starts after the echo of the command line; typed while a command still ran, the
    // line is echoed twice (by the terminal, then by bash at its prompt): the last echo counts.
    const echoed = seen.lastIndexOf(`echo ${mark}=$?`);
    const body = seen.slice(seen.indexOf('\n', echoed) + 1, seen.lastIndexOf(mark));
    return { output: commandOutput(body), code };
  }

  /** Logs in on the console as the operator (tandem/tandem) at the next login prompt from `from`. */
  async login(from = 0): Promise<void> {
    await this.expect(/ login: $/m, 600_000, from);
    this.type('tandem');
    await this.expect(/Password: /, 60_000, from);
    this.type('tandem');
    await this.expect(/\$ $/m, 60_000, from);
  }

  /**
   * Waits until tandemd answers the CLI (it comes up after the login prompt) and its unit has
   * announced `tandemd ready` on the console (since console position `from`): that line is
   * written once per boot, and a later one would land in the middle of a command's output.
   */
  async waitForTandemd(from = 0): Promise<void> {
    for (let i = 0; i < 180; i++) {
      if ((await this.shell('tandem show system commit >/dev/null 2>&1')).code === 0) {
        await this.expect(/tandemd ready/, 120_000, from);
        return;
      }
      await new Promise((res) => setTimeout(res, 1000));
    }
    throw new Error(`tandemd did not answer; console:\n${this.output.slice(-2000)}`);
  }

  /** Powers the guest off (kills qemu); stopping a stopped guest does nothing. */
  async stop(): Promise<void> {
    this.socket.destroy();
    // A qemu killed by a signal has a signalCode and no exitCode: waiting for its 'exit' again
    // would wait forever (what hung the two-VM test when its cleanup stopped a stopped guest).
    if (this.qemu.exitCode === null && this.qemu.signalCode === null) {
      const exited = new Promise((r) => this.qemu.once('exit', r));
      this.qemu.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A command's output as the serial console showed it, without what else the console showed:
 * the terminal's escape sequences (bash's bracketed-paste switches, colours) and kernel log
 * lines (`[   45.123456] md/raid1:md0: …`), which the kernel writes to the console whenever
 * they happen — at a line's start or in the middle of one of the command's lines.
 */
export function commandOutput(console: string): string {
  return (
    console
      .replace(/\r/g, '')
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
      .replace(/\[ *\d+\.\d{6}\] [^\n]*\n/g, '')
  );
}
