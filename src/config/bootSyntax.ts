// The config.boot text format of Vyatta/VyOS: `name {` … `}`, `name value {` … `}`, `name value`,
// `name`, double-quoted values and `/* comments */`. Line-oriented like the original: each node on
// its own line, `}` alone on its line. Parsing is schema-free; tree.ts gives the words meaning.

import { ConfigSyntaxError } from '../errors.js';

export interface BootNode {
  name: string;
  value?: string;
  /** Present (possibly empty) for `{ … }` blocks: containers and tag instances. */
  children?: BootNode[];
  /** Text of the `/* … *\/` comments just before the node, trimmed, joined by newlines. */
  comment?: string;
  /** 1-based position of the name; 0 for nodes built in memory (treeToBoot). */
  line: number;
  column: number;
}

type Token =
  | { type: 'word' | 'string' | 'comment'; text: string; line: number; column: number }
  | { type: 'open' | 'close' | 'newline' | 'eof'; line: number; column: number };

// The lexer's own idea of blank space; other non-ASCII spaces are part of a word. U+FEFF (a byte
// order mark, or an invisible zero-width space) is blank anywhere, so a BOM at the start is skipped.
const BLANK = new Set([' ', '\t', '\r', '\f', '\v', '\uFEFF']);

function tokenize(text: string, file: string | undefined): Token[] {
  const tokens: Token[] = [];
  let i = text.startsWith('\uFEFF') ? 1 : 0; // a leading BOM is invisible to the operator: no column
  let line = 1;
  let column = 1;
  const moveTo = (end: number) => {
    for (; i < end; i++) {
      if (text[i] === '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
  };
  const fail = (l: number, c: number, detail: string) => new ConfigSyntaxError(l, c, detail, file);

  while (i < text.length) {
    const c = text[i] as string;
    const at = { line, column };
    if (c === '\n') {
      tokens.push({ type: 'newline', ...at });
      moveTo(i + 1);
    } else if (BLANK.has(c)) {
      moveTo(i + 1);
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw fail(at.line, at.column, "unterminated comment: '/*' without '*/'");
      tokens.push({ type: 'comment', text: text.slice(i + 2, end).trim(), ...at });
      moveTo(end + 2);
    } else if (c === '{' || c === '}') {
      tokens.push({ type: c === '{' ? 'open' : 'close', ...at });
      moveTo(i + 1);
    } else if (c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const next = text[j + 1];
        // Only \" and \\ are escapes; any other backslash is kept, as old files write regexes bare.
        if (text[j] === '\\' && (next === '"' || next === '\\')) {
          value += next;
          j++;
        } else {
          value += text[j];
        }
      }
      if (j >= text.length) throw fail(at.line, at.column, "unterminated quoted value: missing closing '\"'");
      tokens.push({ type: 'string', text: value, ...at });
      moveTo(j + 1);
    } else {
      let j = i;
      while (j < text.length && !endsWord(text, j)) j++;
      tokens.push({ type: 'word', text: text.slice(i, j), ...at });
      moveTo(j);
    }
  }
  tokens.push({ type: 'eof', line, column });
  return tokens;
}

function endsWord(text: string, j: number): boolean {
  const c = text[j] as string;
  return c === '\n' || BLANK.has(c) || c === '"' || c === '{' || c === '}' || text.startsWith('/*', j);
}

function describe(token: Token): string {
  switch (token.type) {
    case 'word':
      return `'${token.text}'`;
    case 'string':
      return `"${token.text}"`;
    case 'open':
      return "'{'";
    case 'close':
      return "'}'";
    default:
      return token.type;
  }
}

export function parseBoot(text: string, file?: string): BootNode[] {
  const tokens = tokenize(text, file);
  let k = 0;
  let pending: string[] = []; // comments waiting for the next node
  const fail = (token: Token, detail: string) =>
    new ConfigSyntaxError(token.line, token.column, detail, file);

  const next = (): Token => {
    for (;;) {
      const token = tokens[k++] as Token;
      if (token.type !== 'comment') return token;
      pending.push(token.text);
    }
  };

  // After `{` or `}` only comments may follow on the same line.
  const endOfLine = (after: string) => {
    const token = next();
    if (token.type === 'eof') k--;
    else if (token.type !== 'newline') {
      throw fail(token, `unexpected ${describe(token)} after ${after}: each node goes on its own line`);
    }
  };

  const statement = (name: Token & { text: string }): BootNode => {
    const node: BootNode = { name: name.text, line: name.line, column: name.column };
    // Empty comments add nothing to a joined text (and would not survive its trim when printed).
    if (pending.length) node.comment = pending.filter((text) => text !== '').join('\n');
    pending = [];
    let token = next();
    if (token.type === 'word' || token.type === 'string') {
      node.value = token.text;
      token = next();
    }
    if (token.type === 'open') {
      endOfLine("'{'");
      node.children = block(token);
      return node;
    }
    if (token.type === 'eof') k--;
    else if (token.type !== 'newline') {
      const what = node.value === undefined ? `'${node.name}'` : `the value of '${node.name}'`;
      const hint = token.type === 'close' ? "'}' goes on its own line" : 'quote values that contain spaces';
      throw fail(token, `unexpected ${describe(token)} after ${what}: ${hint}`);
    }
    return node;
  };

  const block = (open?: Token): BootNode[] => {
    const nodes: BootNode[] = [];
    for (;;) {
      const token = next();
      switch (token.type) {
        case 'newline':
          continue;
        case 'eof':
          if (open) throw fail(open, "'{' is never closed: end of file reached");
          return nodes;
        case 'close':
          if (!open) throw fail(token, "'}' without a matching '{'");
          pending = []; // comments at the end of a block belong to no node: dropped
          endOfLine("'}'");
          return nodes;
        case 'open':
          throw fail(token, "'{' must follow a node name on the same line");
        case 'string':
          throw fail(token, `a node name cannot be quoted: ${describe(token)}`);
        case 'word':
          nodes.push(statement(token));
          break;
        case 'comment':
          break; // next() never returns comments
      }
    }
  };

  return block();
}

/** Whether `text` reads back as one bare word (what a node name must be). */
function isBareWord(text: string): boolean {
  if (text === '') return false;
  for (let j = 0; j < text.length; j++) if (endsWord(text, j)) return false;
  return true;
}

/** Quoted when the value has blanks, quotes, braces, `#` or `/*`, or is empty; escapes `\"` and `\\`. */
export function quoteBootValue(value: string): string {
  const bare = isBareWord(value) && !/[\s"'#]/.test(value);
  return bare ? value : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The canonical lines of `nodes` at an indent depth (4 spaces per level); used by compare too. */
export function bootLines(nodes: readonly BootNode[], depth = 0): string[] {
  const indent = '    '.repeat(depth);
  const lines: string[] = [];
  for (const node of nodes) {
    if (!isBareWord(node.name)) {
      throw new ConfigSyntaxError(
        node.line,
        node.column,
        `cannot print node name ${JSON.stringify(node.name)}: a name is one bare word`,
      );
    }
    // A comment cannot contain its own terminator; `* /` keeps the text readable.
    if (node.comment !== undefined) lines.push(`${indent}/* ${node.comment.replaceAll('*/', '* /')} */`);
    const head = indent + node.name + (node.value === undefined ? '' : ` ${quoteBootValue(node.value)}`);
    if (node.children) {
      lines.push(`${head} {`, ...bootLines(node.children, depth + 1), `${indent}}`);
    } else {
      lines.push(head);
    }
  }
  return lines;
}

export function printBoot(nodes: readonly BootNode[]): string {
  const lines = bootLines(nodes);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
