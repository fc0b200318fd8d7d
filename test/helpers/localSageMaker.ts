/** A local SageMaker emulator on a random 127.0.0.1 port with its own data directory, for tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { destroyClients, sageMakerClients, type SageMakerClients } from "../../src/workflow/clients";
import { startLocalSageMaker, type LocalSageMaker, type LocalSageMakerOptions } from "../../src/emulator/server";

export interface LocalSageMakerFixture {
  local: LocalSageMaker;
  clients: SageMakerClients;
  dataDir: string;
  logs: string[];
  stop(): Promise<void>;
}

export async function startLocalFixture(options: Partial<LocalSageMakerOptions> = {}): Promise<LocalSageMakerFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), "local-sagemaker-test-"));
  const logs: string[] = [];
  const local = await startLocalSageMaker({ port: 0, dataDir, modelOptions: { offline: true }, log: (message) => logs.push(message), ...options });
  const clients = sageMakerClients({ mode: "local", endpoint: local.url });
  const fixture: LocalSageMakerFixture = {
    local,
    clients,
    dataDir,
    logs,
    stop: async () => {
      destroyClients(fixture.clients);
      await fixture.local.close(); // the current one: a test may have restarted the emulator
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Progress callbacks that record what a person would have seen. */
export function recordProgress(): { seen: string[]; onProgress: (p: { resource: string; status: string }) => void } {
  const seen: string[] = [];
  return { seen, onProgress: ({ resource, status }) => seen.push(`${resource}: ${status}`) };
}
