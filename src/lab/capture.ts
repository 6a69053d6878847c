// Packet capture on a lab link with tshark: start before the traffic, stop, then read the
// packets back as fields.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../platform/run.js';
import { type Lab, LabError, type LabProcess } from './lab.js';

export class Capture {
  /** Packets the capture lost (tshark's report at the end), known after stop(). */
  dropped = 0;

  private constructor(
    private readonly proc: LabProcess,
    readonly file: string,
  ) {}

  /**
   * Starts tshark on `ifname` of `node` (capture filter in BPF syntax) and waits until it captures.
   * `underLoad`: a large kernel buffer and real-time scheduling for the capture, so that a loaded
   * machine delays the capture process without losing packets (their timestamps are the kernel's).
   */
  static async start(
    lab: Lab,
    node: string,
    ifname: string,
    filter?: string,
    opts: { underLoad?: boolean } = {},
  ): Promise<Capture> {
    const file = join(lab.dir(node), `capture-${ifname}-${Date.now()}.pcapng`);
    const argv = ['tshark', '-q', '-i', ifname, '-w', file];
    if (filter) argv.push('-f', filter);
    if (opts.underLoad) {
      argv.unshift('chrt', '--fifo', '20');
      argv.push('-B', '64');
    }
    const proc = lab.spawn(node, argv, { logName: `tshark-${ifname}` });
    // dumpcap reports "Capture started" once packets are being taken (the file appears earlier,
    // so its existence is not enough); packets sent before that are missed.
    const started = () => readFileSync(proc.logFile, 'utf8').includes('Capture started');
    for (let waited = 0; !started(); waited += 20) {
      if (waited > 15_000 || proc.child.exitCode !== null) {
        await proc.stop();
        throw new LabError(`tshark did not start on ${node}/${ifname} (see ${proc.logFile})`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return new Capture(proc, file);
  }

  /**
   * Stops the capture and returns the requested fields per packet. dumpcap drains the kernel's
   * capture buffer in batches, so it gets `settleMs` to write the last packets before SIGTERM.
   */
  async stop(
    fields: string[] = ['frame.number', 'eth.src', 'ip.src', 'ip.dst', '_ws.col.Protocol'],
    displayFilter?: string,
    settleMs = 500,
  ) {
    await new Promise((r) => setTimeout(r, settleMs));
    await this.proc.stop();
    this.dropped = Number(/(\d+) packets? dropped/.exec(readFileSync(this.proc.logFile, 'utf8'))?.[1] ?? 0);
    const argv = ['tshark', '-r', this.file, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f'];
    if (displayFilter) argv.push('-Y', displayFilter);
    for (const f of fields) argv.push('-e', f);
    const { stdout } = await run(argv);
    return stdout
      .split('\n')
      .filter((l) => l.length > 0)
      .map((line) => {
        const values = line.split('\t');
        return Object.fromEntries(fields.map((f, i) => [f, values[i] ?? ''])) as Record<string, string>;
      });
  }
}
