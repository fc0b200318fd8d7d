/**
 * The emulator's resources (models, endpoint configs, endpoints, transform jobs), kept in memory and
 * mirrored to one JSON file each under the data directory, so a restarted emulator knows what it had:
 * its endpoints come back and its unfinished transform jobs resume.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../io/atomicFile";


/** What a store does with a record file it cannot use. */
export interface DamagedRecordPolicy<T> {
  /** Why a parsed record is unusable, or `undefined` when it is fine. */
  check?: (record: unknown) => string | undefined;
  /** The record that stands for a damaged one (e.g. a Failed job naming the damage); it is persisted, the damaged file kept beside it as `.json.damaged`. */
  replace: (name: string, reason: string) => T;
}

/** One kind of resource, by name. */
export class ResourceStore<T extends object> {
  private readonly records = new Map<string, T>();

  constructor(
    private readonly dir: string,
    damaged?: DamagedRecordPolicy<T>,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      // Records are files this store wrote; anything else (a folder named like one) is not ours to judge.
      if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
      const file = entry.name;
      const name = file.slice(0, -".json".length);
      let reason: string | undefined;
      try {
        const record = JSON.parse(readFileSync(join(dir, file), "utf8")) as unknown;
        reason = damaged?.check?.(record);
        if (!reason) this.records.set(name, record as T);
      } catch (error) {
        reason = error instanceof SyntaxError ? "is not JSON" : `cannot be read (${(error as Error).message})`;
      }
      // Without a policy, a file that is not a record was not written by us (writes are atomic): leave it alone.
      if (reason && damaged) {
        copyFileSync(join(dir, file), join(dir, `${file}.damaged`));
        this.put(name, damaged.replace(name, reason));
      }
    }
  }

  get(name: string): T | undefined {
    return this.records.get(name);
  }

  has(name: string): boolean {
    return this.records.has(name);
  }

  /** Stores (and persists) a record; the same object stays the live one. */
  put(name: string, record: T): T {
    this.records.set(name, record);
    writeFileAtomically(join(this.dir, `${name}.json`), JSON.stringify(record, null, 1));
    return record;
  }

  /** Applies `change` to the live record and persists it. */
  update(name: string, change: Partial<T>): T | undefined {
    const record = this.records.get(name);
    if (!record) return undefined;
    Object.assign(record, change);
    return this.put(name, record);
  }

  delete(name: string): boolean {
    rmSync(join(this.dir, `${name}.json`), { force: true });
    return this.records.delete(name);
  }

  values(): T[] {
    return [...this.records.values()];
  }
}
