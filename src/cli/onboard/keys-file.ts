import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  writeSync,
} from "node:fs";
import { CliError } from "../errors.js";

/**
 * The secrets of an onboarding, one JSON object a line: each person's invite acceptance token
 * and, when one was issued, their API key. The file is created with mode 0600 (O_CREAT|O_EXCL,
 * so an existing file is never taken over unnoticed); one that exists must be the caller's own
 * and readable by nobody else. It is only appended to, and a person already in it is not written
 * again (a row re-sent after an interruption gets the server's replayed answer).
 */
export interface SecretRecord {
  email: string;
  invite_id: string;
  invite_token: string;
  api_key_id: string | null;
  api_key_name: string | null;
  workspace_id: string | null;
  api_key: string | null;
}

export class KeysFile {
  readonly path: string;
  readonly #fd: number;
  readonly #invites = new Set<string>();

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  static open(path: string): KeysFile {
    let fd: number;
    try {
      fd = openSync(
        path,
        constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL,
        0o600,
      );
      return new KeysFile(path, fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw error;
      }
    }
    fd = openSync(path, constants.O_RDWR | constants.O_APPEND | constants.O_NOFOLLOW);
    const stat = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stat.isFile() || (stat.mode & 0o077) !== 0 || (uid !== undefined && stat.uid !== uid)) {
      closeSync(fd);
      throw new CliError(
        `the keys file ${path} exists and is not a private file of yours (mode ${(stat.mode & 0o777).toString(8)}): chmod 600 it, or choose another with --keys-file`,
      );
    }
    const file = new KeysFile(path, fd);
    const text = readFileSync(fd, "utf8");
    if (text !== "" && !text.endsWith("\n")) {
      writeSync(fd, "\n");
    }
    for (const line of text.split("\n")) {
      try {
        const record = JSON.parse(line) as Partial<SecretRecord>;
        if (typeof record.invite_id === "string") {
          file.#invites.add(record.invite_id);
        }
      } catch {
        // a torn last line
      }
    }
    return file;
  }

  /** Appends the record unless its invite is already there; fsynced before returning. */
  write(record: SecretRecord): void {
    if (this.#invites.has(record.invite_id)) {
      return;
    }
    writeSync(this.#fd, `${JSON.stringify(record)}\n`);
    fsyncSync(this.#fd);
    this.#invites.add(record.invite_id);
  }

  close(): void {
    closeSync(this.#fd);
  }
}
