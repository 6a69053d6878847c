// `tandem shell`: operational mode as a login shell (/usr/local/bin/tandem-shell on the image).
// Each line is a tandem command (`show vrrp`, `configure`, `install image`…) run by the same
// dispatcher as `tandem <words>`; `exit` leaves. On a terminal: a prompt and history; otherwise
// the lines of stdin run in order (every one, failing or not, as a login session would).
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { splitWords } from '../config/pathWords.js';
import { TandemError } from '../errors.js';
import { Exit } from './usage.js';

export type CommandRunner = (words: string[]) => Promise<number>;

const LEAVE = new Set(['exit', 'quit', 'logout']);

/** Runs one line; returns false when the line ends the shell. */
async function runLine(line: string, runCommand: CommandRunner): Promise<boolean> {
  let words: string[];
  try {
    words = splitWords(line);
  } catch (e) {
    process.stderr.write(`${e instanceof TandemError ? e.message : String(e)}\n`);
    return true;
  }
  if (!words.length) return true;
  if (LEAVE.has(words[0]!) && words.length === 1) return false;
  if (words[0] === 'help' || words[0] === '?') words = ['help'];
  await runCommand(words);
  return true;
}

export async function runOpShell(runCommand: CommandRunner): Promise<number> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, terminal: false });
    for await (const line of rl) if (!(await runLine(line, runCommand))) break;
    // `exit` ends the session even while the other end keeps stdin open.
    process.stdin.destroy();
    return Exit.ok;
  }
  const historyFile = join(homedir(), '.tandem_op_history');
  let history: string[] = [];
  try {
    history = readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 500);
  } catch {
    // no history yet
  }
  process.stdout.write('Tandem operational mode: tandem commands without "tandem" (help lists them).\n');
  for (;;) {
    // A fresh interface per line: the command may read the terminal itself (configure, the
    // questions of install image), which it cannot while a readline interface holds it.
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true, history });
    const line = await new Promise<string | null>((resolve) => {
      rl.once('close', () => resolve(null));
      rl.question(`${userInfo().username}@${hostname()}> `, resolve);
    });
    history = [...(rl as unknown as { history: string[] }).history];
    rl.close();
    if (line === null) return Exit.ok;
    if (line.trim()) appendFileSync(historyFile, `${line.trim()}\n`, { mode: 0o600 });
    if (!(await runLine(line, runCommand))) return Exit.ok;
  }
}
