import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from '../cli/errors.ts';

/** What `roster login` remembers for one server. */
export interface Profile {
  url?: string;
  token?: string;
  email?: string;
  /** When the session ends unless used (the server renews it while in use). */
  expiresAt?: string;
}

export interface ConfigFile {
  currentProfile?: string;
  profiles: Record<string, Profile>;
}

export const DEFAULT_PROFILE = 'default';

/** `$XDG_CONFIG_HOME/roster/config.json`; the spec says to ignore an unset, empty or relative value. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.config');
  return path.join(base, 'roster', 'config.json');
}

export function readConfig(file: string): ConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw new CliError('CONFIG', `cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<ConfigFile>;
    return { ...parsed, profiles: parsed.profiles ?? {} };
  } catch {
    throw new CliError('CONFIG', `${file} is not valid JSON`, 'fix or delete it, then run `roster login` again');
  }
}

/**
 * Writes atomically (temp file + rename) so a crash never leaves half a file,
 * with the file 0600 and its folder 0700: it holds session tokens.
 */
export function writeConfig(file: string, config: ConfigFile): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const tmp = path.join(dir, `.config.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** Reads, changes one profile, writes back. */
export function updateProfile(file: string, name: string, change: (p: Profile) => Profile, makeCurrent = false): void {
  const config = readConfig(file);
  config.profiles[name] = change(config.profiles[name] ?? {});
  if (makeCurrent) config.currentProfile = name;
  writeConfig(file, config);
}
