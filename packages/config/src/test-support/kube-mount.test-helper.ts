import { mkdir, mkdtemp, readlink, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the OS temp dir; remove it with `rm(dir, { recursive: true })`. */
export function makeTmpDir(prefix = 'shipshape-config-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

let generation = 0;

/**
 * Writes `files` the way kubelet mounts a ConfigMap/Secret: a timestamped `..2026_…` directory
 * holding the files, `..data -> ..2026_…`, and one `key -> ..data/key` symlink per key.
 */
export async function kubeMount(dir: string, files: Record<string, string>): Promise<void> {
  const stamp = await writeGeneration(dir, files);
  await symlink(stamp, join(dir, '..data'));
  for (const key of Object.keys(files)) await symlink(join('..data', key), join(dir, key));
}

/**
 * Replaces the mounted data exactly as kubelet's atomic writer does: write a new timestamped
 * directory, point `..data_tmp` at it, rename `..data_tmp` over `..data`, add symlinks for new
 * keys, remove symlinks of dropped keys, then delete the old directory.
 */
export async function kubeSwap(
  dir: string,
  files: Record<string, string>,
  oldKeys: readonly string[],
): Promise<void> {
  const previous = await readlink(join(dir, '..data'));
  const stamp = await writeGeneration(dir, files);
  await symlink(stamp, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  for (const key of Object.keys(files)) {
    if (!oldKeys.includes(key)) await symlink(join('..data', key), join(dir, key));
  }
  for (const key of oldKeys) if (!(key in files)) await unlink(join(dir, key));
  await rm(join(dir, previous), { recursive: true, force: true });
}

async function writeGeneration(dir: string, files: Record<string, string>): Promise<string> {
  generation += 1;
  const stamp = `..2026_11_28_13_00_00.${process.pid}_${generation}`;
  await mkdir(join(dir, stamp));
  for (const [key, value] of Object.entries(files)) await writeFile(join(dir, stamp, key), value);
  return stamp;
}
