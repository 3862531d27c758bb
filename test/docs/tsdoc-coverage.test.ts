// Issue 15 "done when": TSDoc coverage of the published declarations is 100 %.
//
// Read from the built dist/*.d.ts of the five package entries (authwire, authwire/api,
// authwire/msw, authwire/emulator, authwire/cookie-jar), as a user's editor and the SDK reference see them:
// - every exported symbol has a TSDoc comment;
// - every member declared by an exported interface or class (properties, methods) has one, and so
//   has every property of an exported options type (`LowcoderOptions`, a union of interfaces);
// - every property of an options interface (`…Options`) that has a default states it with
//   `@default`. A property has a default when its comment says so ("default 30 000") or it is in
//   DEFAULTS below (defaults the README documents).
// The test prints what is missing, so the list is the to-do.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../package/run.js';

const ENTRIES = {
  authwire: 'dist/index.d.ts',
  'authwire/api': 'dist/api.d.ts',
  'authwire/msw': 'dist/msw.d.ts',
  'authwire/emulator': 'dist/emulator.d.ts',
  'authwire/cookie-jar': 'dist/cookie-jar.d.ts',
};

/** Options with a default the README documents, whatever their comment says today. */
const DEFAULTS: Record<string, string[]> = {
  ClientOptions: ['fetch', 'timeout', 'maxRetries', 'store', 'storageKey', 'allowInsecureHttp', 'cookies', 'now'],
  CallOptions: ['timeout', 'maxRetries', 'retrySafe'],
  ApostropheOptions: ['mode', 'apiKeyIn', 'bearerLifetime'],
  CocoOptions: ['mode'],
  LowcoderOptions: ['cookieName'],
};

interface Coverage {
  /** `module: Name` or `module: Name.member`, each once. */
  items: string[];
  undocumented: string[];
  /** Options with a default that lack `@default`. */
  noDefault: string[];
  options: number;
  /** Option properties without TSDoc. */
  optionsUndocumented: number;
}

const hasDoc = (symbol: ts.Symbol, checker: ts.TypeChecker) =>
  ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() !== '' ||
  (symbol.declarations ?? []).some((d) => ts.getJSDocTags(d).length > 0);

const docText = (symbol: ts.Symbol, checker: ts.TypeChecker) =>
  ts.displayPartsToString(symbol.getDocumentationComment(checker));

const hasDefaultTag = (symbol: ts.Symbol) =>
  (symbol.declarations ?? []).some((d) => ts.getJSDocTags(d).some((t) => ['default', 'defaultValue'].includes(t.tagName.text)));

/**
 * The members an export declares: an interface's or class's own properties and methods; for an
 * options type alias (`LowcoderOptions = (LowcoderBase & …) | …`), the properties of every member of
 * the union, as written in property signatures (not the `never` keys of mapped helper types).
 */
function membersOf(symbol: ts.Symbol, isOptions: boolean, checker: ts.TypeChecker): ts.Symbol[] {
  if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class)) {
    return [...(symbol.members?.values() ?? [])].filter((m) => m.flags & (ts.SymbolFlags.Property | ts.SymbolFlags.Method));
  }
  if (!isOptions || !(symbol.flags & ts.SymbolFlags.TypeAlias)) return [];
  const type = checker.getDeclaredTypeOfSymbol(symbol);
  const parts = type.isUnion() ? type.types : [type];
  return parts
    .flatMap((part) => checker.getPropertiesOfType(part))
    .filter((m) => m.declarations?.some((d) => ts.isPropertySignature(d) && !ts.isMappedTypeNode(d.parent)));
}

function measure(): Coverage {
  const files = Object.values(ENTRIES).map((file) => join(ROOT, file));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const seen = new Set<ts.Symbol>();
  const counted = new Set<ts.Declaration>();
  const coverage: Coverage = { items: [], undocumented: [], noDefault: [], options: 0, optionsUndocumented: 0 };
  const count = (name: string, documented: boolean) => {
    coverage.items.push(name);
    if (!documented) coverage.undocumented.push(name);
  };
  for (const [specifier, file] of Object.entries(ENTRIES)) {
    const source = program.getSourceFile(join(ROOT, file));
    if (!source) throw new Error(`${file} is missing: build first (npm run build)`);
    const module = checker.getSymbolAtLocation(source)!;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      const name = `${specifier}: ${exported.name}`;
      count(name, hasDoc(symbol, checker));
      const isOptions = exported.name.endsWith('Options');
      for (const member of membersOf(symbol, isOptions, checker)) {
        const declaration = member.declarations?.[0];
        // Each declaration once: ClientOptions.timeout is not counted again under CocoOptions.
        if (!declaration || counted.has(declaration)) continue;
        counted.add(declaration);
        count(`${name}.${member.name}`, hasDoc(member, checker));
        if (!isOptions || !(member.flags & ts.SymbolFlags.Property)) continue;
        coverage.options++;
        if (!hasDoc(member, checker)) coverage.optionsUndocumented++;
        const defaulted =
          (DEFAULTS[exported.name] ?? []).includes(member.name) || /\bdefaults?\b/i.test(docText(member, checker));
        if (defaulted && !hasDefaultTag(member)) coverage.noDefault.push(`${name}.${member.name}`);
      }
    }
  }
  return coverage;
}

const coverage = measure();
const documented = coverage.items.length - coverage.undocumented.length;
const percent = ((100 * documented) / coverage.items.length).toFixed(1);
console.log(
  [
    `TSDoc coverage of the published declarations: ${documented} of ${coverage.items.length} (${percent} %) documented;`,
    `option properties: ${coverage.options - coverage.optionsUndocumented} of ${coverage.options} documented, ${coverage.noDefault.length} have a default without @default.`,
    coverage.undocumented.length ? `Undocumented:\n  ${coverage.undocumented.join('\n  ')}` : '',
    coverage.noDefault.length ? `Options whose default is not in @default:\n  ${coverage.noDefault.join('\n  ')}` : '',
  ]
    .filter(Boolean)
    .join('\n'),
);

describe('TSDoc coverage of dist/*.d.ts', () => {
  it('reads the exports of every entry', () => {
    expect(coverage.items).toContain('authwire: lowcoder');
    expect(coverage.items).toContain('authwire: ClientOptions.timeout');
    expect(coverage.items).toContain('authwire/msw: mockCoco');
  });

  it('every exported symbol and member has TSDoc', () => {
    expect(coverage.undocumented).toEqual([]);
  });

  it('every option with a default states it with @default', () => {
    expect(coverage.noDefault).toEqual([]);
  });
});
