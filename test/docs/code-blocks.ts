import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One ```ts block of a Markdown file, with the ```ts continued blocks that follow it. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  readonly doc: string;
  /** Where each part starts: its first line in the code and in the Markdown file (both 1-based). */
  readonly parts: Array<{ readonly codeLine: number; readonly docLine: number }>;
  code: string;
}

/** The Markdown line of a 1-based line of a block's code. */
export function docLine(block: CodeBlock, codeLine: number): number {
  const part = [...block.parts].reverse().find((candidate) => candidate.codeLine <= codeLine) ?? block.parts[0]!;
  return part.docLine + codeLine - part.codeLine;
}

/** README.md and every docs/*.md file, relative to the repository root. */
export function documentationFiles(root: string): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)];
}

/**
 * The ```ts (or ```typescript) blocks of a Markdown file, except those whose info string also says
 * `fragment`: deliberately partial code that is not meant to compile on its own. A block marked
 * `continued` goes on from the block before it (a walkthrough in steps) and compiles with it.
 */
export function typeScriptBlocks(root: string, doc: string): CodeBlock[] {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  let open: { line: number; body: string[]; checked: boolean; continued: boolean } | undefined;
  lines.forEach((text, index) => {
    const fence = /^\s*```(.*)$/.exec(text);
    if (open === undefined) {
      if (fence === null) return;
      const info = fence[1]!.trim().split(/\s+/);
      open = { line: index + 2, body: [], checked: (info[0] === 'ts' || info[0] === 'typescript') && !info.includes('fragment'), continued: info.includes('continued') };
      return;
    }
    if (fence !== null && fence[1]!.trim() === '') {
      const previous = blocks.at(-1);
      if (open.checked && open.continued && previous !== undefined) {
        previous.parts.push({ codeLine: previous.code.split('\n').length + 1, docLine: open.line });
        previous.code = `${previous.code}\n${open.body.join('\n')}`;
      } else if (open.checked) {
        blocks.push({ doc, parts: [{ codeLine: 1, docLine: open.line }], code: open.body.join('\n') });
      }
      open = undefined;
      return;
    }
    open.body.push(text);
  });
  return blocks;
}

/**
 * The block as a module in `directory`: relative imports are rewritten to point where they point
 * from the Markdown file, and an empty export makes the file a module (so top-level await works
 * and names do not clash across blocks).
 */
export function asModule(root: string, block: CodeBlock, directory: string): string {
  const docDirectory = dirname(join(root, block.doc));
  const code = block.code.replace(/(from\s+|import\s*\(\s*)(['"])(\.\.?\/[^'"]+)\2/g, (_match, lead: string, quote: string, path: string) => {
    let target = relative(directory, resolve(docDirectory, path)).split('\\').join('/');
    if (!target.startsWith('.')) target = `./${target}`;
    return `${lead}${quote}${target}${quote}`;
  });
  return `${code}\nexport {};\n`;
}
