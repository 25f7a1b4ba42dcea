import { chmodSync, closeSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Databases, logs, manifests and secrets hold keys and personal data: only their owner may read them. Files
 * are created owner-only where they are made, and what an older version left readable is narrowed at start.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Makes everything this process creates from now on owner-only (umask 077): the class of mistake, rather than
 * each file it may create (a log, a temporary file, a file a library creates). Entry points call it first.
 */
export function restrictUmask(): void {
  process.umask(0o077);
}

function chmodIfPresent(file: string, mode: number): void {
  try {
    chmodSync(file, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Creates `dir` (and missing parents) owner-only; an existing `dir` is narrowed to owner-only too. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Narrows existing files to owner-only; missing ones are skipped. */
export function restrictFiles(...files: string[]): void {
  for (const file of files) chmodIfPresent(file, PRIVATE_FILE_MODE);
}

/**
 * Narrows what lies directly in `dir` (a devnet home): files to 0600, folders to 0700. Not recursive: the
 * folders below belong to their own programs (a PostgreSQL cluster keeps its own modes).
 */
export function restrictFolderContents(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) chmodIfPresent(path.join(dir, entry.name), PRIVATE_FILE_MODE);
    else if (entry.isDirectory()) chmodIfPresent(path.join(dir, entry.name), PRIVATE_DIR_MODE);
  }
}

/**
 * Prepares an SQLite database file owner-only whatever the umask: missing folders are made 0700, a missing
 * file is created empty (a valid empty database) with 0600, an existing one and its `-wal` and `-shm` files are
 * narrowed to 0600. SQLite gives the `-wal` and `-shm` files it creates the mode of the database file.
 */
export function preparePrivateSqliteFile(file: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: PRIVATE_DIR_MODE });
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  restrictFiles(file, `${file}-wal`, `${file}-shm`, `${file}-journal`);
}
