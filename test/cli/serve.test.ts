import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { createRuntimeClient, invokeZeroShotEndpoint } from "../../src/backends/sagemaker/runtimeClient";
import { basename, dirname } from "node:path";
import { promiseWithResolvers } from "../helpers/barrier";
import { CLI_ENTRY, runCliInProcess } from "../helpers/cli";
import { tinyBert } from "../helpers/models";
import { until } from "../helpers/workerGate";
import { loadClassifier } from "../../src/backends/local/loadClassifier";

/** Starts `zero-shot serve` on a free port; resolves with its URL once it logs that it is ready. */
async function startServe(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; url: string; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI_ENTRY, "serve", "--port", "0", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stderr.on("data", (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      output += chunk;
      const match = /listening on .* \((http:\/\/[^)]+)\)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code} before it was ready:\n${output}`)));
  });
  return { child, url, output: () => output };
}

describe("zero-shot serve", () => {
  let model: string;
  before(() => {
    model = tinyBert();
  });
  const children: ChildProcessWithoutNullStreams[] = [];
  after(() => children.forEach((child) => child.exitCode === null && child.kill("SIGKILL")));

  it("logs one ready line with host:port and model, and answers the AWS SDK like classify", async () => {
    const { child, url, output } = await startServe(["--model", model, "--endpoint-name", "zero-shot"]);
    children.push(child);
    assert.match(output(), new RegExp(`^zero-shot serve: listening on 127\\.0\\.0\\.1:\\d+ .*model ${model.replace(/[/.]/g, "\\$&")}`));
    const client = createRuntimeClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    const result = await invokeZeroShotEndpoint(client, "zero-shot", { inputs: "I will run a marathon", parameters: { candidate_labels: ["Health", "Finance"] } });
    client.destroy();
    const [expected] = await (await loadClassifier(model)).classify("I will run a marathon", ["Health", "Finance"]);
    assert.deepEqual(result, expected);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
  });

  it("on SIGTERM stops accepting, finishes the requests in flight, and exits 0", async () => {
    // Three requests in flight, held by the test: each announces its body (Expect: 100-continue), the
    // server's 100 Continue shows it took the request, and the body is sent only after SIGTERM.
    const { child, url, output } = await startServe(["--model", model]);
    children.push(child);
    const labels = ["Health", "Finance", "Travel"];
    const bodies = [0, 1, 2].map((i) => JSON.stringify({ inputs: [`text ${i}.0`, `text ${i}.1`], parameters: { candidate_labels: labels } }));
    const held = await Promise.all(
      bodies.map(async (body) => {
        const request = httpRequest(`${url}/invocations`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), Expect: "100-continue" },
        });
        const answered = new Promise<{ status: number; body: string }>((resolveAnswer, reject) => {
          request.on("response", (response) => {
            let text = "";
            response.on("data", (chunk) => (text += chunk));
            response.on("end", () => resolveAnswer({ status: response.statusCode ?? 0, body: text }));
          });
          request.on("error", reject);
        });
        request.flushHeaders();
        await once(request, "continue");
        return { request, body, answered };
      }),
    );
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await until(() => /SIGTERM: no new connections/.test(output()), "serve logs SIGTERM");
    assert.match(output(), /SIGTERM: no new connections; finishing 3 request\(s\) in flight/);
    for (const { request, body } of held) request.end(body);
    const answers = await Promise.all(held.map(({ answered }) => answered));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200],
    );
    const last = JSON.parse(answers[2].body) as { sequence: string; labels: string[] }[];
    assert.deepEqual([last.length, last[1].sequence, [...last[1].labels].sort()], [2, "text 2.1", ["Finance", "Health", "Travel"]]);
    const [code] = await exited;
    assert.equal(code, 0, output());
  });

  it("on SIGTERM answers a request sent on a connection it accepted before, and checks the Host (--allow-host)", async () => {
    const { child, url, output } = await startServe(["--model", model, "--allow-host", "models.internal"]);
    children.push(child);
    const port = Number(new URL(url).port);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const opened = connect(port, "127.0.0.1", () => resolve(opened));
      opened.once("error", reject);
    });
    const exchange = (host: string, text: string) => {
      const body = JSON.stringify({ inputs: text, parameters: { candidate_labels: ["Health", "Finance"] } });
      const answer = new Promise<string>((resolve) => {
        let data = "";
        const onData = (chunk: Buffer) => {
          data += chunk.toString("utf8");
          const split = data.indexOf("\r\n\r\n");
          const length = /content-length: (\d+)/i.exec(data.slice(0, split));
          if (split >= 0 && length && Buffer.byteLength(data.slice(split + 4)) >= Number(length[1])) {
            socket.off("data", onData);
            resolve(data);
          }
        };
        socket.on("data", onData);
      });
      socket.write(`POST /invocations HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return answer;
    };
    assert.match(await exchange("evil.example", "refused"), /^HTTP\/1\.1 403 /);
    assert.match(await exchange("models.internal:8080", "allowed"), /^HTTP\/1\.1 200 /);
    child.kill("SIGTERM");
    const exited = once(child, "exit");
    while (!/SIGTERM: no new connections/.test(output())) await new Promise((resolve) => setTimeout(resolve, 10));
    const late = await exchange("localhost", "sent after SIGTERM");
    assert.match(late, /^HTTP\/1\.1 200 /);
    assert.match(late, /\r\nConnection: close\r\n/i);
    assert.equal(JSON.parse(late.slice(late.indexOf("\r\n\r\n") + 4)).sequence, "sent after SIGTERM");
    socket.destroy();
    const [code] = await exited;
    assert.equal(code, 0, output());
  });

  it("in-process: serves a --model folder relative to its working directory until io.stop, then says it stopped", async () => {
    const stop = new AbortController();
    const listening = promiseWithResolvers<string>();
    let stdout = "";
    const running = runCliInProcess(["serve", "--port", "0", "--model", basename(model)], {
      cwd: dirname(model),
      stop: stop.signal,
      onStdout: (text) => {
        stdout += text;
        const match = /listening on .* \((http:\/\/[^)]+)\)/.exec(stdout);
        if (match) listening.resolve(match[1]);
      },
    });
    const url = await Promise.race([listening.promise, running.then((run) => Promise.reject(new Error(`serve ended before it was ready:\n${run.stderr}`)))]);
    let run;
    try {
      const response = await fetch(`${url}/invocations`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ inputs: "I will run a marathon", parameters: { candidate_labels: ["Health", "Finance"] } }),
      });
      assert.equal(response.status, 200);
      const [expected] = await (await loadClassifier(model)).classify("I will run a marathon", ["Health", "Finance"]);
      assert.deepEqual(await response.json(), expected);
    } finally {
      stop.abort("SIGTERM");
      run = await running;
    }
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^zero-shot serve: listening on 127\.0\.0\.1:\d+ .*model tiny-bert-nli /);
    assert.match(run.stderr, /zero-shot serve: SIGTERM: no new connections; finishing 0 request\(s\) in flight\nzero-shot serve: stopped\n$/);
  });

  it("refuses a bad option with the usage", async () => {
    const run = await runCliInProcess(["serve", "--port", "http"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--port "http" is not a whole number of at least 0/);
    const workers = await runCliInProcess(["serve", "--workers", "0"]);
    assert.equal(workers.code, 2);
    assert.match(workers.stderr, /--workers "0" is not a whole number of at least 1/);
  });
});
