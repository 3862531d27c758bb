// "No `any` in the public types": walks the syntax of every published declaration file and fails on
// any `any` keyword (comments and strings that mention the word do not count).
import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const dist = new URL('../../dist/', import.meta.url);

/** Where `text` uses the `any` type, as `name:line: context`. */
function anyKeywords(name: string, text: string): string[] {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword)
      found.push(`${name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.parent.getText().slice(0, 80)}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('public types', () => {
  const files = readdirSync(dist).filter((name) => name.endsWith('.d.ts'));

  it('are published for every entry', () => {
    expect(files).toEqual(expect.arrayContaining(['index.d.ts', 'node.d.ts', 'msw.d.ts', 'emulator.d.ts', 'cookie-jar.d.ts']));
  });

  it('contain no `any`', () => {
    expect(files.flatMap((name) => anyKeywords(name, readFileSync(new URL(name, dist), 'utf8')))).toEqual([]);
  });

  it('the check sees an `any` type, and not the word in a comment', () => {
    expect(anyKeywords('probe.d.ts', '/** any */ export declare const x: any;')).toHaveLength(1);
  });
});
