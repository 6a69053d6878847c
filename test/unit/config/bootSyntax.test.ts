import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BootNode, parseBoot, printBoot, quoteBootValue } from '../../../src/config/bootSyntax.js';
import { ConfigSyntaxError } from '../../../src/errors.js';

/** The nodes without positions, for comparisons "modulo positions". */
function shape(nodes: BootNode[]): unknown[] {
  return nodes.map(({ line: _l, column: _c, children, ...rest }) =>
    children ? { ...rest, children: shape(children) } : rest,
  );
}

function syntaxError(text: string): ConfigSyntaxError {
  try {
    parseBoot(text, 'config.boot');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigSyntaxError);
    return error as ConfigSyntaxError;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
}

const canonical = `interfaces {
    ethernet eth0 {
        address 192.0.2.1/24
        address 2001:db8::1/64
        description "Internet to Protected"
    }
    ethernet eth1 {
        disable
    }
}
/* Login users */
system {
    host-name R1
    login {
        user vyatta {
            authentication {
                encrypted-password $6$x/y$z
            }
        }
    }
}
`;

describe('parseBoot', () => {
  it('reads every node form with 1-based positions', () => {
    const nodes = parseBoot('a {\n  b c {\n    d e\n    f\n  }\n}\n');
    expect(nodes).toEqual([
      {
        name: 'a',
        line: 1,
        column: 1,
        children: [
          {
            name: 'b',
            value: 'c',
            line: 2,
            column: 3,
            children: [
              { name: 'd', value: 'e', line: 3, column: 5 },
              { name: 'f', line: 4, column: 5 },
            ],
          },
        ],
      },
    ]);
  });

  it('keeps repeated leaves as separate nodes in order', () => {
    expect(shape(parseBoot('address b\naddress a\n'))).toEqual([
      { name: 'address', value: 'b' },
      { name: 'address', value: 'a' },
    ]);
  });

  it('reads quoted values with escapes, braces, comments markers and newlines', () => {
    const nodes = parseBoot('d "a \\"b\\" \\\\ {c} /* # x"\ne ""\nf "two\nlines"\ng "^\\d+$"\n');
    expect(shape(nodes)).toEqual([
      { name: 'd', value: 'a "b" \\ {c} /* # x' },
      { name: 'e', value: '' },
      { name: 'f', value: 'two\nlines' },
      { name: 'g', value: '^\\d+$' },
    ]);
    expect(nodes[3]?.line).toBe(5); // the newline inside the quotes counts
  });

  it('attaches comments to the next node, joins several and drops trailing ones', () => {
    const nodes = parseBoot(
      '/* first */\n/*  second\n line  */ a {\n    /* inner */\n    b\n    /* trailing */\n}\n/* footer */\n',
    );
    expect(shape(nodes)).toEqual([
      { name: 'a', comment: 'first\nsecond\n line', children: [{ name: 'b', comment: 'inner' }] },
    ]);
  });

  it('accepts VyOS footers, CRLF line ends, tabs, a BOM and no final newline', () => {
    const text =
      '\uFEFFsystem {\r\n\thost-name R1\r\n}\r\n/* Warning: Do not remove the following line. */\n/* === vyatta-config-version: "x" === */';
    expect(shape(parseBoot(text))).toEqual([
      { name: 'system', children: [{ name: 'host-name', value: 'R1' }] },
    ]);
    expect(parseBoot(text)[0]?.column).toBe(1);
  });

  it('reads empty comments as an empty comment text', () => {
    expect(shape(parseBoot('/**/ /* */\n/**/*\n'))).toEqual([{ name: '*', comment: '' }]);
    expect(shape(parseBoot('/**/\n/* a */\n/**/\nb\n'))).toEqual([{ name: 'b', comment: 'a' }]);
  });

  it('keeps # and single quotes inside bare words', () => {
    expect(shape(parseBoot("p abc#1'x\n"))).toEqual([{ name: 'p', value: "abc#1'x" }]);
  });

  it('reads an empty file and empty blocks', () => {
    expect(parseBoot('')).toEqual([]);
    expect(parseBoot('\n\n  \n')).toEqual([]);
    expect(shape(parseBoot('a {\n}\nb c {\n}\n'))).toEqual([
      { name: 'a', children: [] },
      { name: 'b', value: 'c', children: [] },
    ]);
  });
});

describe('parseBoot errors', () => {
  it.each([
    ['a {\n  b {\n  }\n', 1, 3, "'{' is never closed"],
    ['a {\n}\n}\n', 3, 1, "'}' without a matching '{'"],
    ['a "abc\nb\n', 1, 3, 'unterminated quoted value'],
    ['a "abc\\"\n', 1, 3, 'unterminated quoted value'],
    ['a {\n  /* never\n}\n', 2, 3, 'unterminated comment'],
    ['a { b\n}\n', 1, 5, "unexpected 'b' after '{'"],
    ['a {\n} b\n', 2, 3, "unexpected 'b' after '}'"],
    ['a b c\n', 1, 5, "unexpected 'c' after the value of 'a'"],
    ['a b "c"\n', 1, 5, 'unexpected "c" after the value of \'a\''],
    ['a { {\n}\n}\n', 1, 5, "unexpected '{' after '{'"],
    ['{\n}\n', 1, 1, "'{' must follow a node name"],
    ['"a" b\n', 1, 1, 'a node name cannot be quoted'],
    ['x {\n  a }\n', 2, 5, "'}' goes on its own line"],
    ['x y z {\n}\n', 1, 5, "unexpected 'z'"],
  ])('%j fails at %i:%i', (text, line, column, detail) => {
    const error = syntaxError(text);
    expect([error.line, error.column]).toEqual([line, column]);
    expect(error.message).toContain(detail);
    expect(error.message.startsWith(`config.boot:${line}:${column}: `)).toBe(true);
  });
});

describe('printBoot', () => {
  it('prints the canonical form and reads it back identically', () => {
    expect(printBoot(parseBoot(canonical))).toBe(canonical);
  });

  it('canonicalizes layout, quoting and comments', () => {
    const messy = '  a   {  /* c1 */\n\tb   "plain"\n c   "x y"   \n}';
    expect(printBoot(parseBoot(messy))).toBe('a {\n    /* c1 */\n    b plain\n    c "x y"\n}\n');
  });

  it('prints an empty list as an empty file', () => {
    expect(printBoot([])).toBe('');
  });

  it.each([
    ['', '""'],
    ['plain', 'plain'],
    ['a b', '"a b"'],
    ['tab\there', '"tab\there"'],
    ['q"uote', '"q\\"uote"'],
    ["it's", '"it\'s"'],
    ['{x}', '"{x}"'],
    ['#1', '"#1"'],
    ['a/*b', '"a/*b"'],
    ['back\\slash', 'back\\slash'],
    ['"\\', '"\\"\\\\"'],
    ['10.0.0.0/8', '10.0.0.0/8'],
  ])('quotes %j as %s', (value, printed) => {
    expect(quoteBootValue(value)).toBe(printed);
    expect(shape(parseBoot(`v ${printed}\n`))).toEqual([{ name: 'v', value }]);
  });

  it('keeps comments unable to close early', () => {
    const text = printBoot([{ name: 'a', comment: 'x */ y', line: 0, column: 0 }]);
    expect(text).toBe('/* x * / y */\na\n');
  });

  it('refuses a name that is not one bare word, with the node position', () => {
    expect(() => printBoot([{ name: 'a b', line: 3, column: 7 }])).toThrow(ConfigSyntaxError);
    expect(() => printBoot([{ name: '', line: 3, column: 7 }])).toThrow(/3:7/);
  });
});

// ---- properties --------------------------------------------------------------------------------

const nameArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const textArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('a', ' ', '"', "'", '\\', '{', '}', '#', '/', '*', '\n'), maxLength: 8 }),
);
const commentArb = textArb.filter((c) => c === c.trim() && !c.includes('*/'));

const nodeArb: fc.Arbitrary<BootNode> = fc.letrec<{ node: BootNode }>((tie) => ({
  node: fc
    .record(
      {
        name: nameArb,
        value: textArb,
        comment: commentArb,
        children: fc.array(tie('node'), { maxLength: 3, depthIdentifier: 'boot' }),
      },
      { requiredKeys: ['name'] },
    )
    .map((n) => ({ ...n, line: 0, column: 0 })),
})).node;
const nodesArb = fc.array(nodeArb, { maxLength: 4 });

describe('round-trip properties', () => {
  it('parse(print(nodes)) equals nodes modulo positions', () => {
    fc.assert(
      fc.property(nodesArb, (nodes) => {
        expect(shape(parseBoot(printBoot(nodes)))).toEqual(shape(nodes));
      }),
      { numRuns: 500 },
    );
  });

  it('print(parse(canonical)) is identical', () => {
    fc.assert(
      fc.property(nodesArb, (nodes) => {
        const text = printBoot(nodes);
        expect(printBoot(parseBoot(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('garbage either parses (and then prints stably) or throws ConfigSyntaxError with a sane position', () => {
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({
        unit: fc.constantFrom('{', '}', '"', '\\', '/', '*', '/*', '*/', '\n', ' ', 'a', 'b', '#', "'", '\r'),
        maxLength: 30,
      }),
    );
    fc.assert(
      fc.property(garbage, (text) => {
        let nodes: BootNode[];
        try {
          nodes = parseBoot(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigSyntaxError);
          const { line, column } = error as ConfigSyntaxError;
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(text.split('\n').length);
          expect(column).toBeGreaterThanOrEqual(1);
          return;
        }
        const printed = printBoot(nodes);
        expect(shape(parseBoot(printed))).toEqual(shape(nodes));
      }),
      { numRuns: 2000 },
    );
  });
});
