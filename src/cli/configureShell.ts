// `tandem configure`: an interactive shell on a terminal (prompt, history, TAB completion, `?`
// help), or, when stdin is not a terminal, the commands it reads run as one session: the first
// failing command stops the script (exit 1) so nothing after it is committed.
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { splitForCompletion } from '../config/pathWords.js';
import { TandemError } from '../errors.js';
import { ConfigureSession, type OpRunner } from './configureSession.js';
import type { RpcClient } from './rpcClient.js';
import { Exit } from './usage.js';

type Completion = { word: string; help: string; kind: string };

function helpTable(items: Completion[]): string {
  const width = Math.max(...items.map((c) => c.word.length), 8);
  return items.map((c) => `  ${c.word.padEnd(width)}  ${c.help}`).join('\n');
}

function errorText(e: unknown): string {
  return e instanceof TandemError ? e.message : e instanceof Error ? e.message : String(e);
}

/** Script mode: every line of stdin, in order, stopping at the first error. */
export async function runConfigureScript(
  client: RpcClient,
  input: NodeJS.ReadableStream,
  runOp: OpRunner,
): Promise<number> {
  const session = await ConfigureSession.open(client, runOp);
  const rl = createInterface({ input, terminal: false });
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    try {
      const r = await session.execute(line);
      if (r.output) process.stdout.write(`${r.output}\n`);
      if (r.exit) return Exit.ok;
    } catch (e) {
      process.stderr.write(`line ${lineNo}: ${line}\n${errorText(e)}\n`);
      return Exit.rejected;
    }
  }
  if (await session.changed()) {
    process.stderr.write('warning: the script ended with uncommitted changes; they are discarded\n');
  }
  return Exit.ok;
}

/** Interactive mode on a terminal. */
export async function runConfigureShell(client: RpcClient, runOp: OpRunner): Promise<number> {
  const session = await ConfigureSession.open(client, runOp);
  const historyFile = join(homedir(), '.tandem_history');
  let history: string[] = [];
  try {
    history = readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 500);
  } catch {
    // no history yet
  }
  // The banner is printed above the prompt, not part of it: readline redraws a multi-line prompt
  // over the lines above it (the `?` help list).
  const prompt = `${userInfo().username}@${hostname()}# `;
  const showPrompt = () => {
    process.stdout.write(`${session.banner()}\n`);
    rl.prompt();
  };

  const completer = (line: string, callback: (err: Error | null, result: [string[], string]) => void) => {
    const { words, partial } = splitForCompletion(line);
    session.complete(words, partial).then(
      (items) => {
        const real = items.filter((c) => !c.word.startsWith('<'));
        if (real.length !== 1 && items.length) process.stdout.write(`\n${helpTable(items)}\n`);
        callback(null, [real.map((c) => `${c.word} `), partial]);
      },
      () => callback(null, [[], partial]),
    );
  };

  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    completer,
    history,
    terminal: true,
  });
  // `?` lists what may come next, with help, and leaves the line as it was typed.
  const ttyWrite = (rl as unknown as { _ttyWrite: (s: string, key: unknown) => void })._ttyWrite.bind(rl);
  (rl as unknown as { _ttyWrite: (s: string, key: unknown) => void })._ttyWrite = (s, key) => {
    if (s !== '?') return ttyWrite(s, key);
    const { words, partial } = splitForCompletion(rl.line);
    void session.complete(words, partial).then((items) => {
      process.stdout.write(`\n${items.length ? helpTable(items) : '  (nothing can follow here)'}\n`);
      rl.prompt(true);
    });
  };

  rl.setPrompt(prompt);
  showPrompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line) appendFileSync(historyFile, `${line}\n`);
    try {
      const r = await session.execute(line);
      if (r.output) process.stdout.write(`${r.output}\n`);
      if (r.exit) break;
    } catch (e) {
      process.stdout.write(`${errorText(e)}\n`);
    }
    showPrompt();
  }
  rl.close();
  return Exit.ok;
}
