#!/usr/bin/env node
// `npm run reproduce [-- --quick|--full] [--check] [--out DIR] [--timeout SECONDS] [notebook ...]`
// Executes notebooks headless through the real Jupyter protocol with the flatlab kernel
// (scripts/run_notebooks.py, nbclient's Python API), writes the executed notebooks, every figure
// as PNG with its Vega-Lite spec, and a gallery page (issue 2 item 4).
//
// Mode: --quick / --full, else FLATLAB_MODE, else full. Notebooks read FLATLAB_MODE from the
// kernel's environment. Full mode writes notebooks under notebooks/ back in place (committed
// notebooks carry their outputs); quick mode writes them to <out>/notebooks/ so tests leave the
// tree clean. A failed notebook goes to <out>/failed/ and never overwrites anything. Exit status 1
// names the notebook, the cell and the error of every failure; 2 means bad arguments or a
// notebook that does not exist. While a notebook runs, stderr shows its progress (cell i of n, and
// the grid's trials, rate and time left): one updating line on a terminal, else a plain line every
// FLATLAB_PROGRESS_SECONDS (8 by default) during a long cell (scripts/run_notebooks.py).
// --parallel N (default 2) runs up to N notebooks at once, each in its own runner and kernel: a warm
// run is mostly kernel start-up and compilation, single-threaded, so two at a time halve it on the
// 2-core project machine; progress is then plain lines, each naming its notebook.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkFigureOutputs, notebookStem, readNotebook, writeFigures, writeGallery } from "./figures.mjs";
import {
  ROOT, ensureBuilt, findPython, jupyterEnv, JupyterMissingError, KERNEL_DIR, KERNEL_NAME, kernelSpec, writeKernelSpec,
} from "./jupyter-env.mjs";

const MODES = ["quick", "full"];
const NOTEBOOKS_DIR = join(ROOT, "notebooks");
const RUNNER = join(dirname(fileURLToPath(import.meta.url)), "run_notebooks.py");

export class UsageError extends Error {}

export function parseArgs(argv, env = process.env) {
  const opts = { mode: undefined, check: false, out: join(ROOT, "out"), timeout: undefined, parallel: Math.min(2, availableParallelism()), names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (a.includes("=")) return a.slice(a.indexOf("=") + 1);
      if (i + 1 >= argv.length) throw new UsageError(`reproduce: ${a} needs a value`);
      return argv[++i];
    };
    if (a === "--quick" || a === "--full") {
      const mode = a.slice(2);
      if (opts.mode && opts.mode !== mode) throw new UsageError("reproduce: choose one of --quick and --full");
      opts.mode = mode;
    } else if (a === "--check") opts.check = true;
    else if (a === "--out" || a.startsWith("--out=")) opts.out = resolve(value());
    else if (a === "--timeout" || a.startsWith("--timeout=")) {
      const t = Number(value());
      if (!Number.isInteger(t) || t <= 0) throw new UsageError(`reproduce: --timeout must be a positive whole number of seconds per cell; received ${JSON.stringify(String(t))}`);
      opts.timeout = t;
    } else if (a === "--parallel" || a.startsWith("--parallel=")) {
      const n = Number(value());
      if (!Number.isInteger(n) || n <= 0) throw new UsageError(`reproduce: --parallel must be a positive whole number of notebooks; received ${JSON.stringify(String(n))}`);
      opts.parallel = n;
    } else if (a === "--help" || a === "-h") opts.help = true;
    else if (a.startsWith("-")) throw new UsageError(`reproduce: unknown option ${a}; options are --quick, --full, --check, --out DIR, --timeout SECONDS, --parallel N`);
    else opts.names.push(a);
  }
  if (!opts.mode) {
    const fromEnv = env.FLATLAB_MODE?.trim().toLowerCase();
    if (fromEnv && !MODES.includes(fromEnv)) throw new UsageError(`reproduce: FLATLAB_MODE must be one of "quick", "full"; received ${JSON.stringify(env.FLATLAB_MODE)}`);
    opts.mode = fromEnv || "full";
  }
  opts.timeout ??= opts.mode === "quick" ? 600 : 7200;
  return opts;
}

/** The notebook files named on the command line (or every notebooks/*.ipynb), checked to exist. */
export function resolveNotebooks(names, cwd = process.cwd()) {
  if (names.length === 0) {
    const all = existsSync(NOTEBOOKS_DIR) ? readdirSync(NOTEBOOKS_DIR).filter((n) => n.endsWith(".ipynb")).sort() : [];
    if (all.length === 0) throw new UsageError(`reproduce: there are no notebooks in ${relative(cwd, NOTEBOOKS_DIR) || "."}/`);
    return all.map((n) => join(NOTEBOOKS_DIR, n));
  }
  return names.map((name) => {
    const withExt = name.endsWith(".ipynb") ? [name] : [name, `${name}.ipynb`];
    const candidates = withExt.flatMap((n) => (isAbsolute(n) ? [n] : [resolve(cwd, n), join(NOTEBOOKS_DIR, n)]));
    const found = candidates.find((c) => existsSync(c) && statSync(c).isFile() && c.endsWith(".ipynb"));
    if (!found) throw new UsageError(`reproduce: notebook ${JSON.stringify(name)} does not exist (looked for ${[...new Set(candidates.map((c) => relative(cwd, c) || c))].join(", ")})`);
    return found;
  });
}

function label(file) {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}

/** One line per failure, naming notebook, cell and error, then the traceback indented. */
export function describeFailure(result) {
  const f = result.failure;
  const where = f.cell ? `cell ${f.cell}${f.execution_count ? ` (In [${f.execution_count}])` : ""}` : "before any cell ran";
  const lines = [`FAILED ${result.label}, ${where}: ${f.ename}${f.evalue ? `: ${f.evalue}` : ""}`];
  // Strip ANSI colours a kernel may put in tracebacks.
  for (const t of f.traceback ?? []) for (const l of String(t).replace(/\x1b\[[0-9;]*m/g, "").split("\n")) lines.push(`    ${l}`);
  if (result.written) lines.push(`    (the partly executed notebook is in ${label(result.written)})`);
  return lines.join("\n");
}

function ensureKernelSpec() {
  const want = JSON.stringify(kernelSpec(), null, 2) + "\n";
  const file = join(KERNEL_DIR, "kernel.json");
  if (!existsSync(file) || readFileSync(file, "utf8") !== want) writeKernelSpec();
}

export async function main(argv = process.argv.slice(2)) {
  let opts, notebooks, python;
  try {
    opts = parseArgs(argv);
    if (opts.help) {
      console.log("usage: npm run reproduce [-- --quick|--full] [--check] [--out DIR] [--timeout SECONDS] [--parallel N] [notebook ...]");
      return 0;
    }
    notebooks = resolveNotebooks(opts.names);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message);
    return 2;
  }
  try {
    python = findPython();
  } catch (e) {
    if (!(e instanceof JupyterMissingError)) throw e;
    console.error(e.message);
    return 1;
  }
  try {
    ensureBuilt();
  } catch (e) {
    console.error(e.message);
    return 1;
  }
  ensureKernelSpec();

  const outNotebooks = join(opts.out, "notebooks");
  const jobs = notebooks.map((file) => {
    const inPlace = opts.mode === "full" && dirname(file) === NOTEBOOKS_DIR;
    return {
      label: label(file),
      input: file,
      output: inPlace ? file : join(outNotebooks, `${notebookStem(file)}.ipynb`),
      failed_output: join(opts.out, "failed", `${notebookStem(file)}.ipynb`),
      cwd: dirname(file),
    };
  });
  const parallel = Math.min(opts.parallel, jobs.length);
  console.log(`flatlab: running ${jobs.length} notebook${jobs.length === 1 ? "" : "s"} in ${opts.mode} mode with the ${KERNEL_NAME} kernel (${python})` +
    (parallel > 1 ? `, ${parallel} at a time` : ""));
  const env = jupyterEnv(process.env, { FLATLAB_MODE: opts.mode, ...(parallel > 1 ? { FLATLAB_PROGRESS_LINES: "1" } : {}) });
  const work = mkdtempSync(join(tmpdir(), "flatlab-reproduce-"));
  const results = new Array(jobs.length);
  let runnerFailed = false;
  try {
    // One runner per notebook; `parallel` of them at a time, results kept in the notebooks' order.
    let next = 0;
    const slot = async () => {
      while (next < jobs.length && !runnerFailed) {
        const i = next++;
        const jobsFile = join(work, `jobs-${i}.json`), reportFile = join(work, `report-${i}.json`);
        writeFileSync(jobsFile, JSON.stringify([jobs[i]]));
        const status = await new Promise((done) => {
          const child = spawn(python, [RUNNER, "--jobs", jobsFile, "--report", reportFile, "--kernel", KERNEL_NAME, "--timeout", String(opts.timeout)], {
            env, stdio: ["ignore", "inherit", "inherit"],
          });
          child.on("error", () => done("not started"));
          child.on("close", (code, signal) => done(code ?? signal));
        });
        if (status !== 0 || !existsSync(reportFile)) {
          console.error(`flatlab: the notebook runner failed on ${jobs[i].label} (${python} ${relative(process.cwd(), RUNNER)} exited with ${status}).`);
          runnerFailed = true;
          return;
        }
        results[i] = JSON.parse(readFileSync(reportFile, "utf8"))[0];
      }
    };
    await Promise.all(Array.from({ length: parallel }, slot));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (runnerFailed) return 1;

  const figuresDir = join(opts.out, "figures");
  const failures = [];
  let figureCount = 0, notebooksFailed = 0;
  for (const result of results) {
    if (!result.ok) {
      failures.push(describeFailure(result));
      notebooksFailed++;
      continue;
    }
    const nb = readNotebook(result.written);
    if (opts.check) {
      const problems = checkFigureOutputs(nb);
      for (const p of problems) failures.push(`FAILED ${result.label}, ${p}`);
      if (problems.length > 0) notebooksFailed++;
    }
    figureCount += writeFigures(nb, notebookStem(result.input), figuresDir).length;
    console.log(`flatlab: ${result.label}: ${result.code_cells} code cells ok in ${result.seconds} s -> ${label(result.written)}`);
  }
  const gallery = writeGallery(opts.out, figuresDir, { mode: opts.mode });
  console.log(`flatlab: ${figureCount} figure${figureCount === 1 ? "" : "s"} written to ${label(figuresDir)}/ (PNG and Vega-Lite); gallery ${label(gallery.file)} shows ${gallery.count}.`);
  if (failures.length > 0) {
    console.error(failures.join("\n"));
    console.error(`flatlab: ${failures.length} failure${failures.length === 1 ? "" : "s"}.`);
  }
  // The closing line test harnesses read: one count per notebook.
  console.log(`notebooks: ${results.length - notebooksFailed} passed, ${notebooksFailed} failed`);
  return failures.length > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await main();
