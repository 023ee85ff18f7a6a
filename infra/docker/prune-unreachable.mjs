// Removes from node_modules every installed package that no production code path can load.
//
//   node prune-unreachable.mjs services/order
//
// `npm ci --omit=dev` still installs packages the lockfile marks `devOptional` (a dev dependency
// that is also an optional peer somewhere, e.g. esbuild and @types/node through vite and
// vitest): npm omits those only with `--omit=optional` too, which would also drop real optional
// dependencies such as msgpackr's native extension. This walks what really is reachable from
// the workspace — `dependencies`, `optionalDependencies` and non-optional `peerDependencies`,
// resolved the way Node resolves them — and deletes the rest, with their dangling `.bin` links.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = process.cwd();
const start = resolve(root, process.argv[2] ?? '.');

function manifest(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

/** Node's lookup: <dir>/node_modules/<name>, then each parent's, up to the root. */
function locate(fromDir, name) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === root || dir === dirname(dir)) return undefined;
  }
}

const reachable = new Set();
const queue = [realpathSync(start)];
while (queue.length > 0) {
  const dir = queue.pop();
  if (reachable.has(dir)) continue;
  reachable.add(dir);
  const pkg = manifest(dir);
  const optionalPeers = pkg.peerDependenciesMeta ?? {};
  const names = [
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
  ];
  for (const name of names) {
    const found = locate(dir, name);
    if (found !== undefined) queue.push(found);
  }
}

/** Every package folder under a node_modules folder (scoped ones included), nested ones too. */
function* packagesIn(modulesDir) {
  if (!existsSync(modulesDir)) return;
  for (const entry of readdirSync(modulesDir)) {
    if (entry.startsWith('.')) continue;
    const path = join(modulesDir, entry);
    if (entry.startsWith('@')) {
      for (const scoped of readdirSync(path)) yield join(path, scoped);
    } else {
      yield path;
    }
  }
}

const removed = [];
const visit = (modulesDir) => {
  for (const path of [...packagesIn(modulesDir)]) {
    if (lstatSync(path).isSymbolicLink()) continue; // workspace links: their targets are kept or not by reachability of the workspace itself
    if (!reachable.has(realpathSync(path))) {
      rmSync(path, { recursive: true, force: true });
      removed.push(path.slice(root.length + 1));
    } else {
      visit(join(path, 'node_modules'));
    }
  }
};
visit(join(root, 'node_modules'));
// Scope folders left empty (@esbuild, @types).
for (const entry of readdirSync(join(root, 'node_modules'))) {
  const path = join(root, 'node_modules', entry);
  if (entry.startsWith('@') && readdirSync(path).length === 0) rmSync(path, { recursive: true });
}

const bin = join(root, 'node_modules', '.bin');
if (existsSync(bin)) {
  for (const link of readdirSync(bin)) {
    if (!existsSync(join(bin, link))) rmSync(join(bin, link), { force: true });
  }
}
console.log(`prune-unreachable: removed ${removed.length} package(s): ${removed.join(', ') || 'none'}`);
