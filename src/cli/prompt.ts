// Questions on the terminal for the commands that erase or change disks: plain stdin lines (the
// terminal's line discipline does the editing), answered with the default under --auto.

/** One line from stdin (the terminal's line discipline does the editing), '' at end of input. */
function readLine(): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const done = (line: string) => {
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.pause();
      resolve(line);
    };
    const onData = (d: Buffer) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(buf.slice(0, nl).replace(/\r$/, ''));
    };
    const onEnd = () => done(buf);
    process.stdin.on('data', onData);
    process.stdin.once('end', onEnd);
    process.stdin.resume();
  });
}

/** Asks a question on the terminal; `auto` answers with the default. */
export async function ask(question: string, dflt: string, auto: boolean): Promise<string> {
  if (auto) return dflt;
  process.stdout.write(`${question} [${dflt}]: `);
  return (await readLine()).trim() || dflt;
}

export const yes = (a: string) => /^y(es)?$/i.test(a);
