// The connection-tracking table of the namespace tandemd runs in (conntrack-tools).
import { run } from './run.js';

export interface ConntrackEntry {
  protocol: string;
  protocolNumber: number;
  /** TCP state (ESTABLISHED, SYN_SENT …); null for other protocols. */
  state: string | null;
  source: string;
  destination: string;
  sourcePort: number | null;
  destinationPort: number | null;
  /** Original direction counters (need net.netfilter.nf_conntrack_acct=1). */
  packets: number;
  bytes: number;
  mark: number;
}

/** Flushes every connection and expectation. */
export async function conntrackFlush(): Promise<void> {
  await run(['conntrack', '-F'], { allowFailure: true });
  await run(['conntrack', '-F', 'expect'], { allowFailure: true });
}

/** Parses one line of `conntrack -L` (the original tuple is the first of the two). */
export function parseConntrackLine(line: string): ConntrackEntry | undefined {
  const words = line.trim().split(/\s+/);
  if (words.length < 4) return undefined;
  const [protocol, num] = words;
  const protocolNumber = Number(num);
  if (!protocol || !Number.isInteger(protocolNumber)) return undefined;
  const first = (key: string) => words.find((w) => w.startsWith(`${key}=`))?.slice(key.length + 1);
  const state = /^[A-Z_]+$/.test(words[3] ?? '') ? words[3]! : null;
  const source = first('src');
  const destination = first('dst');
  if (!source || !destination) return undefined;
  const port = (key: string) => {
    const v = first(key);
    return v === undefined ? null : Number(v);
  };
  return {
    protocol,
    protocolNumber,
    state,
    source,
    destination,
    sourcePort: port('sport'),
    destinationPort: port('dport'),
    packets: Number(first('packets') ?? 0),
    bytes: Number(first('bytes') ?? 0),
    mark: Number(first('mark') ?? 0),
  };
}

export async function conntrackList(): Promise<ConntrackEntry[]> {
  const { stdout } = await run(['conntrack', '-L', '-f', 'ipv4'], { allowFailure: true });
  return stdout
    .split('\n')
    .map(parseConntrackLine)
    .filter((e): e is ConntrackEntry => e !== undefined);
}
