/**
 * Entry point of the project's kernelspec (`.jupyter/share/jupyter/kernels/flatlab/kernel.json`,
 * written by scripts/setup.mjs): `node dist/kernel/launcher.js <connection file>`. It starts
 * tslab's own kernel (`startKernel` from tslab/dist/main.js, the function tslab's CLI calls)
 * after extending it (src/kernel/extend.ts). Issue 2 item 5 and issue 6.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { extendTslab, loadTslab } from "./extend.js";
import type { KernelFacts } from "./kernelInfo.js";

/** The connection file: `launcher.js FILE`, or tslab's own `--config-path FILE`. */
export function connectionFileArg(argv: readonly string[]): string {
  const i = argv.indexOf("--config-path");
  const file = i >= 0 ? argv[i + 1] : argv.find((a) => !a.startsWith("-"));
  if (!file) throw new Error("flatlab kernel: missing the connection file; usage: node dist/kernel/launcher.js <connection-file>");
  if (!existsSync(file)) throw new Error(`flatlab kernel: the connection file ${JSON.stringify(file)} does not exist`);
  return file;
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

/** Versions and links for kernel_info_reply, read from the installed packages. */
export function kernelFacts(projectRoot = resolve(__dirname, "..", "..")): KernelFacts {
  const tslabPackage = require.resolve("tslab/package.json");
  const tsPackage = require.resolve("@tslab/typescript-for-tslab/package.json", { paths: [dirname(tslabPackage)] });
  const project = existsSync(join(projectRoot, "package.json")) ? readJson(join(projectRoot, "package.json")) : {};
  const homepage = typeof project.homepage === "string" ? project.homepage : undefined;
  return {
    tslabVersion: String(readJson(tslabPackage).version),
    typescriptVersion: String(readJson(tsPackage).version),
    readmeUrl: homepage ?? pathToFileURL(join(projectRoot, "README.md")).href,
  };
}

export function main(argv: readonly string[] = process.argv.slice(2)): void {
  const configPath = connectionFileArg(argv);
  const tslab = loadTslab();
  const extension = extendTslab(tslab, { facts: kernelFacts() });
  // tslab's own SIGINT handler (installed by startKernel) interrupts the executor.
  process.on("SIGINT", () => extension.interrupted());
  // enableFindLocal: false, so the tslab we extended is the one that runs.
  extension.start(() => tslab.main.startKernel({ configPath, enableFindLocal: false }));
}

if (require.main === module) main();
