// The lab's demonstration stream: a TCP echo server in one node and a client in another that
// sends a numbered line every 100 ms and reports each second how many came back and the longest
// wait for one — so an operator sees a connection ride through `tandem lab kill r1`.
import net from 'node:net';

/** Echoes every connection on `port` until the process ends. */
export function runEchoServer(port: number): Promise<never> {
  return new Promise((_, reject) => {
    net
      .createServer((s) => {
        s.on('error', () => s.destroy());
        s.pipe(s);
      })
      .on('error', reject)
      .listen(port);
  });
}

export interface StreamOutcome {
  sent: number;
  echoed: number;
  longestWaitMs: number;
  /** Why the connection ended early (reset, refused), or null when it lasted. */
  error: string | null;
}

/** Streams to host:port for `seconds`, writing a progress line each second to `print`. */
export function runEchoClient(
  host: string,
  port: number,
  seconds: number,
  print: (line: string) => void,
): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    const out: StreamOutcome = { sent: 0, echoed: 0, longestWaitMs: 0, error: null };
    let received = '';
    let lastEcho = Date.now();
    const started = Date.now();
    const sock = net.connect(port, host);
    const timers: NodeJS.Timeout[] = [];
    let done = false;
    const finish = (error: string | null) => {
      if (done) return;
      done = true;
      for (const t of timers) clearInterval(t);
      out.error = error;
      sock.destroy();
      resolve(out);
    };
    sock.on('connect', () => {
      print(`connected to ${host}:${port} from port ${sock.localPort}`);
      timers.push(
        setInterval(() => {
          sock.write(`${out.sent++}\n`);
          // The wait that counts is for an echo while lines are outstanding.
          if (out.echoed < out.sent - 1)
            out.longestWaitMs = Math.max(out.longestWaitMs, Date.now() - lastEcho);
        }, 100),
        setInterval(() => {
          const t = Math.round((Date.now() - started) / 1000);
          print(
            `${String(t).padStart(4)} s  sent ${out.sent}  echoed ${out.echoed}  longest wait ${(out.longestWaitMs / 1000).toFixed(1)} s`,
          );
        }, 1000),
      );
      timers.push(
        setTimeout(() => {
          clearInterval(timers[0]);
          // A last second for the final echoes.
          timers.push(setTimeout(() => finish(null), 1000));
        }, seconds * 1000),
      );
    });
    sock.on('data', (d) => {
      received += d.toString();
      const lines = received.split('\n');
      received = lines.pop()!;
      out.echoed += lines.length;
      lastEcho = Date.now();
    });
    sock.on('error', (e) => finish(e.message));
    sock.on('close', () => finish('connection closed by the peer'));
  });
}

/** The verdict line of a stream. */
export function streamVerdict(o: StreamOutcome, seconds: number): string {
  const counts = `sent ${o.sent}, echoed ${o.echoed}, longest wait ${(o.longestWaitMs / 1000).toFixed(1)} s`;
  if (o.error && o.sent === 0) return `no connection: ${o.error}`;
  if (o.error) return `the connection broke (${o.error}): ${counts}`;
  if (o.echoed < o.sent) return `lines were lost: ${counts}`;
  return `the connection lasted ${seconds} s with every line echoed: ${counts}`;
}
