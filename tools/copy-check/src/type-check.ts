// Type-checks snippets as modules of one in-memory TypeScript program and names the failures.
import { dirname, join } from 'node:path';
import ts from 'typescript';

/** A snippet to check, with where it came from. */
export interface Snippet {
  /** Where the failure message points, e.g. `packages/config/README.md:42`. */
  readonly origin: string;
  /** 1-based line of `code`'s first line in its origin file. */
  readonly line: number;
  readonly code: string;
  /** Declarations put before `code` (not counted in its lines). */
  readonly given?: string;
  /** The module's path relative to the check folder (blocks of one README share a folder). */
  readonly file: string;
}

/** One compiler error, located in the snippet's origin file. */
export interface SnippetError {
  readonly origin: string;
  readonly line: number;
  readonly message: string;
}

/**
 * Compiles every snippet as a module (with `export {}` appended, so top-level await works and
 * names do not collide) in `dir`, whose node_modules resolve the imports. The compiler options
 * are the repository's strict base without the unused-name checks (an example may declare what it
 * only shows).
 */
export function typeCheck(snippets: readonly Snippet[], dir: string): SnippetError[] {
  const base = ts.getParsedCommandLineOfConfigFile(
    join(dir, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!base) throw new Error(`cannot read ${join(dir, 'tsconfig.json')}`);
  const options: ts.CompilerOptions = {
    ...base.options,
    noEmit: true,
    noUnusedLocals: false,
    noUnusedParameters: false,
    declaration: false,
    declarationMap: false,
  };
  const files = new Map(snippets.map((snippet) => [join(dir, snippet.file), snippet]));
  const givenLines = (snippet: Snippet): number => (snippet.given ? snippet.given.split('\n').length : 0);
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => {
    const snippet = files.get(name);
    return snippet
      ? `${snippet.given ? `${snippet.given}\n` : ''}${snippet.code}\nexport {};\n`
      : readFile(name);
  };
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const folders = new Set([...files.keys()].map((name) => dirname(name)));
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => folders.has(name) || (directoryExists?.(name) ?? true);
  host.getSourceFile = (name, language) => {
    const text = host.readFile(name);
    return text === undefined ? undefined : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const errors: SnippetError[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const snippet = diagnostic.file ? files.get(diagnostic.file.fileName) : undefined;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!snippet || !diagnostic.file || diagnostic.start === undefined) {
      errors.push({ origin: diagnostic.file?.fileName ?? dirname(dir), line: 0, message });
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const inCode = line - givenLines(snippet);
    const where = inCode >= 0 ? snippet.line + inCode : snippet.line - 1; // a `given` error: the fence
    errors.push({ origin: snippet.origin, line: where, message: `TS${diagnostic.code}: ${message}` });
  }
  return errors;
}
