import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CommandLineError,
  quoteWord,
  splitForCompletion,
  splitWords,
} from '../../../src/config/pathWords.js';
import { TandemError } from '../../../src/errors.js';

describe('splitWords', () => {
  it.each([
    ['set system host-name R1', ['set', 'system', 'host-name', 'R1']],
    ['  set   a\tb  ', ['set', 'a', 'b']],
    ['', []],
    ['set description "Internet to Protected"', ['set', 'description', 'Internet to Protected']],
    ['set description \'it is "x"\'', ['set', 'description', 'it is "x"']],
    ['a "q\\"uote" "back\\\\slash" "keep\\n"', ['a', 'q"uote', 'back\\slash', 'keep\\n']],
    ["a 'no \\escape'", ['a', 'no \\escape']],
    ['a b\\ c \\"d', ['a', 'b c', '"d']],
    ['a "" \'\'', ['a', '', '']],
    ['pre"mid dle"post', ['premid dlepost']],
    ['set encrypted-password $6$abc$def', ['set', 'encrypted-password', '$6$abc$def']],
  ])('%j → %j', (line, words) => {
    expect(splitWords(line)).toEqual(words);
  });

  it.each([
    ['set "open', 5, 'unterminated double quote'],
    ["set a 'open", 7, 'unterminated single quote'],
    ['set a\\', 6, 'a backslash ends the line'],
  ])('%j fails at column %i', (line, column, detail) => {
    try {
      splitWords(line);
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(CommandLineError);
      expect(error).toBeInstanceOf(TandemError);
      expect((error as CommandLineError).column).toBe(column);
      expect((error as CommandLineError).code).toBe('CLI_SYNTAX');
      expect((error as Error).message).toBe(`column ${column}: ${detail}`);
    }
  });
});

describe('splitForCompletion', () => {
  it.each([
    ['set interfaces ethernet eth0 vr', ['set', 'interfaces', 'ethernet', 'eth0'], 'vr'],
    ['set interfaces ', ['set', 'interfaces'], ''],
    ['', [], ''],
    ['set description "Inter', ['set', 'description'], 'Inter'],
    ['set a\\', ['set'], 'a'],
  ])('%j → %j + %j', (line, words, partial) => {
    expect(splitForCompletion(line)).toEqual({ words, partial });
  });
});

describe('quoteWord', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(quoteWord('eth0')).toBe('eth0');
    expect(quoteWord('192.0.2.1/24')).toBe('192.0.2.1/24');
    expect(quoteWord('a b')).toBe('"a b"');
    expect(quoteWord('')).toBe('""');
    expect(quoteWord('say "hi" \\o/')).toBe('"say \\"hi\\" \\\\o/"');
  });

  it('round-trips any words through splitWords', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 10 }), { maxLength: 6 }), (words) => {
        expect(splitWords(words.map(quoteWord).join(' '))).toEqual(words);
      }),
      { numRuns: 500 },
    );
  });
});
