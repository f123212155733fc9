/**
 * Which tfjs backend flatlab runs on, chosen in one place (issue 2, item 2).
 *
 * Order of preference, our choice: native TensorFlow (`@tensorflow/tfjs-node`, an optional extra
 * that is used whenever it loads; it cannot install where only package registries are reachable,
 * platform notes), else WebAssembly (`@tensorflow/tfjs-backend-wasm`, SIMD, one thread in Node;
 * 1.2 to 3 times faster than cpu on our machines, ecosystem notes §6), else the pure-JS cpu backend.
 * Precedence of the request: the `name` argument, then the environment variable FLATLAB_BACKEND,
 * then the automatic order above. The choice and its reason are returned and kept for
 * `backendInfo()`.
 *
 * The wasm backend's Node build locates its .wasm binaries next to its own file (Emscripten's
 * scriptDirectory), so `setWasmPaths` is not needed in Node; measured with tfjs 4.22 from a
 * working directory outside the package. Nothing here is DOM-specific.
 *
 * Kernels, measured with tfjs 4.22 (test/tf/backend.test.ts): every flatness estimator runs on
 * cpu and wasm with the same results to float32 accuracy. wasm lacks UnsortedSegmentSum, which is
 * the gradient of tf.gather, so a loss that gathers entries fails there (the estimators say so and
 * suggest selectBackend("cpu") or a 0/1 mask); tf.einsum has no gradient on any backend.
 * Speed at the benchmark size (bench/flatness.bench.ts): wasm about 2.5× faster than cpu
 * for gradients and 2× for Hessian-vector products.
 */
import * as tf from "@tensorflow/tfjs";

/** The backend names accepted by `selectBackend` and FLATLAB_BACKEND (tfjs's own names). */
export const BACKEND_NAMES = ["tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendInfo {
  /** The backend tfjs runs on now ("none" before tfjs has initialized any). */
  readonly backend: string;
  /** Why it was chosen, in one sentence (what was asked for, what loaded, what failed). */
  readonly reason: string;
}

const ENV_VAR = "FLATLAB_BACKEND";
let selected: (BackendInfo & { readonly backend: BackendName }) | null = null;

/**
 * Chooses the tfjs backend and reports the choice. `name` (or FLATLAB_BACKEND) forces one
 * backend and fails if it cannot start; without either, the first of tensorflow, wasm, cpu that
 * starts is used.
 */
export async function selectBackend(name?: string): Promise<BackendInfo & { readonly backend: BackendName }> {
  const envValue = process.env[ENV_VAR];
  const requested = name ?? (envValue !== undefined && envValue !== "" ? envValue : undefined);
  const source = name !== undefined ? "argument name" : `environment variable ${ENV_VAR}`;
  if (requested !== undefined && !(BACKEND_NAMES as readonly string[]).includes(requested)) {
    const arg = name !== undefined ? "name" : ENV_VAR;
    throw new RangeError(
      `selectBackend: ${arg} must be one of ${BACKEND_NAMES.map((b) => JSON.stringify(b)).join(", ")}; received ${JSON.stringify(requested)}.`,
    );
  }
  if (requested !== undefined) {
    const outcome = await tryBackend(requested as BackendName);
    if (outcome !== true) {
      const why = outcome === NOT_INSTALLED ? "@tensorflow/tfjs-node (optional) is not installed" : outcome;
      throw new Error(`selectBackend: the ${JSON.stringify(requested)} backend (from ${source}) could not start: ${why}${installHint(requested as BackendName)}`);
    }
    return remember(requested as BackendName, `requested by ${source}`);
  }
  const failures: string[] = [];
  for (const candidate of BACKEND_NAMES) {
    const outcome = await tryBackend(candidate);
    if (outcome === true) {
      const skipped = failures.length > 0 ? `; ${failures.join("; ")}` : "";
      return remember(candidate, `automatic choice (tensorflow, then wasm, then cpu)${skipped}`);
    }
    // The native backend is an optional extra: its absence is a fact, not an error to print.
    failures.push(outcome === NOT_INSTALLED ? `${candidate}: @tensorflow/tfjs-node (optional) is not installed` : `${candidate} unavailable (${outcome})`);
  }
  throw new Error(`selectBackend: no tfjs backend could start: ${failures.join("; ")}.`);
}

/** The last choice made by `selectBackend`, or, before any call, tfjs's current default. */
export function backendInfo(): BackendInfo {
  const current: string = tf.getBackend() ?? "none";
  if (selected !== null && selected.backend === current) return selected;
  if (selected !== null) return { backend: current, reason: `changed outside selectBackend (last selected: ${selected.backend})` };
  return { backend: current, reason: "tfjs default (cpu on first use); selectBackend has not been called" };
}

function remember(backend: BackendName, reason: string): BackendInfo & { readonly backend: BackendName } {
  selected = Object.freeze({ backend, reason });
  return selected;
}

const NOT_INSTALLED = "not installed";

/** Process events whose listeners decide whether a stray error ends the process. */
const FATAL_EVENTS = ["uncaughtException", "unhandledRejection"] as const;

/**
 * true when the backend started, else the reason it did not (NOT_INSTALLED for a missing optional
 * package). Listeners a backend adds for uncaughtException or unhandledRejection are removed: the
 * Emscripten glue of tfjs-backend-wasm 4.22 installs two that rethrow, which turns any stray
 * rejection into the death of a process that handles them itself (a Jupyter kernel, a test
 * runner; issue 13 item 1). Its own clean-up of them on dispose is broken
 * (`!list.indexOf(l) > -1` is always true), so it is not relied on.
 */
async function tryBackend(name: BackendName): Promise<true | string> {
  const before = FATAL_EVENTS.map((event) => process.rawListeners(event));
  try {
    return await startBackend(name);
  } finally {
    FATAL_EVENTS.forEach((event, i) => {
      for (const l of process.rawListeners(event)) if (!before[i].includes(l)) process.removeListener(event, l as (...args: unknown[]) => void);
    });
  }
}

async function startBackend(name: BackendName): Promise<true | string> {
  try {
    if (name === "tensorflow") {
      // Loading the package registers the "tensorflow" backend on the shared tfjs-core engine.
      require("@tensorflow/tfjs-node");
    } else if (name === "wasm") {
      require("@tensorflow/tfjs-backend-wasm");
    }
    if (tf.findBackendFactory(name) === null) return `backend "${name}" is not registered`;
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend("${name}") returned false`;
    await tf.ready();
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === "MODULE_NOT_FOUND" && name === "tensorflow" && /@tensorflow\/tfjs-node/.test(String((e as Error).message))) return NOT_INSTALLED;
    return firstLine(e);
  }
}

function installHint(name: BackendName): string {
  return name === "tensorflow"
    ? ". Install the optional extra with `npm install @tensorflow/tfjs-node` where its download host is reachable."
    : ".";
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split("\n")[0].slice(0, 200);
}
