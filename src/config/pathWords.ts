// Splitting a CLI line into words the way a shell does: blanks separate words; double quotes,
// single quotes and backslash keep blanks and quotes inside a word. No expansion of any kind:
// `$6$salt$hash` is a word as typed.

import { TandemError } from '../errors.js';

/** A command line that cannot be split; column is 1-based. */
export class CommandLineError extends TandemError {
  constructor(
    readonly column: number,
    detail: string,
  ) {
    super('CLI_SYNTAX', `column ${column}: ${detail}`);
  }
}

interface Scan {
  words: string[];
  /** The last word when the line does not end in a blank (it may still be growing). */
  partial: string | undefined;
  /** Where an unterminated quote or a dangling backslash starts, if any. */
  open?: { column: number; detail: string };
}

function scan(line: string): Scan {
  const words: string[] = [];
  let word: string | undefined; // undefined between words; '' is a real (quoted empty) word
  let quote: '"' | "'" | undefined;
  let quoteColumn = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word = (word ?? '') + c;
    } else if (quote === '"') {
      // As in sh: inside double quotes a backslash escapes only `"` and `\`.
      if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word = (word ?? '') + line[++i];
      else if (c === '"') quote = undefined;
      else word = (word ?? '') + c;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      quoteColumn = i + 1;
      word ??= '';
    } else if (c === '\\') {
      if (i + 1 >= line.length) {
        return { words, partial: word ?? '', open: { column: i + 1, detail: 'a backslash ends the line' } };
      }
      word = (word ?? '') + line[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) {
    const name = quote === '"' ? 'double' : 'single';
    return { words, partial: word, open: { column: quoteColumn, detail: `unterminated ${name} quote` } };
  }
  return { words, partial: word };
}

/** The words of a complete command line; an open quote or trailing backslash is an error. */
export function splitWords(line: string): string[] {
  const result = scan(line);
  if (result.open) throw new CommandLineError(result.open.column, result.open.detail);
  return result.partial === undefined ? result.words : [...result.words, result.partial];
}

/**
 * For TAB: the finished words, and the word being typed ('' after a blank). An open quote is
 * normal here (the operator is still typing), so it is not an error.
 */
export function splitForCompletion(line: string): { words: string[]; partial: string } {
  const result = scan(line);
  return { words: result.words, partial: result.partial ?? '' };
}

/** A word written so that splitWords reads it back unchanged (for echoing paths and completions). */
export function quoteWord(word: string): string {
  if (word !== '' && !/[\s"'\\]/.test(word)) return word;
  return `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
