// `npm run vendor`: copies @shipshape/config, resilience and observability into src/vendor/ by
// running, line by line, the shell block of each package README's copy section — the commands a
// user follows. `npm install …` lines are not run: they must already be in package.json, and this
// script fails when one is missing, so a copy section and this example cannot drift apart.
//
// SHIPSHAPE: the repository to copy from (default: the one this example sits in).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const shipshape = resolve(process.env.SHIPSHAPE ?? new URL('../../..', import.meta.url).pathname);
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const declared = { ...manifest.dependencies, ...manifest.devDependencies };
const sections = {
  config: '## What to copy',
  resilience: '## Copying the package',
  observability: '## Copying the package',
};

rmSync('src/vendor', { recursive: true, force: true });
const problems = [];
for (const [name, heading] of Object.entries(sections)) {
  const readme = readFileSync(`${shipshape}/packages/${name}/README.md`, 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  const section = start < 0 ? '' : readme.slice(start + 1).split(/\n## /)[0];
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) {
    problems.push(`packages/${name}/README.md: no \`\`\`sh block under "${heading}"`);
    continue;
  }
  for (const command of block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim())) {
    if (command.startsWith('npm install')) {
      for (const spec of command
        .split(/\s+/)
        .slice(2)
        .filter((word) => !word.startsWith('-'))) {
        const at = spec.lastIndexOf('@');
        const pkg = at > 0 ? spec.slice(0, at) : spec;
        if (!(pkg in declared))
          problems.push(`packages/${name}/README.md asks for ${spec}, package.json lacks ${pkg}`);
      }
      continue;
    }
    console.log(`[${name}] ${command}`);
    execFileSync('sh', ['-ec', command], { stdio: 'inherit', env: { ...process.env, SHIPSHAPE: shipshape } });
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
