/**
 * Shared set-up of the kernel tests that go through real Jupyter: a Python with jupyter_client
 * (found as scripts/jupyter-env.mjs finds it), a kernelspec in a temporary JUPYTER_PATH folder
 * that runs the launcher from source (node --import tsx src/kernel/launcher.ts), and a driver
 * (kernel_client.py) that sends cells and returns every reply and iopub message.
 * Without Jupyter these tests fail with the install commands, unless FLATLAB_SKIP_JUPYTER_TESTS=1.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export const ROOT = resolve(__dirname, "..", "..");

const temporary: string[] = [];
process.on("exit", () => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `flatlab-${prefix}-`));
  temporary.push(dir);
  return dir;
}

interface JupyterEnvModule {
  findPython(modules?: string[], env?: NodeJS.ProcessEnv): string;
  INSTALL_HELP: string;
}

export async function jupyterEnvModule(): Promise<JupyterEnvModule> {
  const url = pathToFileURL(join(ROOT, "scripts", "jupyter-env.mjs")).href;
  return (await import(url)) as JupyterEnvModule;
}

/** The skip reason for node:test, or false; throws with the install commands when Jupyter is missing. */
export async function pythonWith(modules: string[]): Promise<{ python?: string; skip: string | false }> {
  const env = await jupyterEnvModule();
  try {
    return { python: env.findPython(modules), skip: false };
  } catch (e) {
    if (process.env.FLATLAB_SKIP_JUPYTER_TESTS === "1") return { skip: "FLATLAB_SKIP_JUPYTER_TESTS=1 and no Python with " + modules.join(", ") };
    throw e;
  }
}

/** A JUPYTER_PATH folder holding kernels/flatlab/kernel.json that runs src/kernel/launcher.ts. */
export function sourceKernelSpec(): string {
  const dir = tempDir("kernelspec");
  const kernelDir = join(dir, "kernels", "flatlab");
  mkdirSync(kernelDir, { recursive: true });
  const tsx = pathToFileURL(require.resolve("tsx")).href;
  const spec = {
    argv: [process.execPath, "--import", tsx, join(ROOT, "src", "kernel", "launcher.ts"), "{connection_file}"],
    display_name: "TypeScript (flatlab, from source)",
    language: "typescript",
    interrupt_mode: "signal",
  };
  writeFileSync(join(kernelDir, "kernel.json"), JSON.stringify(spec));
  return dir;
}

export interface CellTranscript {
  reply: { msg_type: string; content: Record<string, unknown> } | null;
  outputs: { msg_type: string; content: Record<string, unknown> }[];
  /** Interrupts sent to the cell's batch (kernel_client.py repeats one that went unanswered). */
  interrupts: number;
}

export interface PlanCell {
  code: string;
  stop_on_error?: boolean;
}

/** Runs batches of cells (each batch sent at once) in a fresh kernel; see kernel_client.py. */
export function runCells(python: string, jupyterPath: string, batches: PlanCell[][], extra: Record<string, unknown> = {}): { kernel_info: Record<string, unknown>; cells: CellTranscript[] } {
  const out = join(tempDir("transcript"), "transcript.json");
  const r = spawnSync(python, [join(ROOT, "test", "kernel", "kernel_client.py"), out], {
    input: JSON.stringify({ kernel_name: "flatlab", batches, ...extra }),
    env: { ...process.env, JUPYTER_PATH: jupyterPath },
    encoding: "utf8",
    timeout: 180_000,
  });
  if (r.status !== 0) throw new Error(`kernel_client.py failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(readFileSync(out, "utf8"));
}
