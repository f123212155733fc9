// `npm test`: build, then two lanes at once, each line of their output prefixed with its lane:
//   unit       the type check, then the unit tests (`npm run typecheck`, `npm run test:unit`);
//   notebooks  every notebook in quick mode (`npm run test:notebooks`).
// The unit tests mostly wait on child processes (kernels, nbconvert, Chromium), so on the 2-core
// project machine the notebooks' solves fill the idle core: run one after the other they took
// 6.5 minutes, side by side 4 min 43 s (issue 12's budget: 5 minutes). The unit tests stay one file
// at a time: with --test-concurrency=2 beside the notebooks, kernel tests timed out. Exit status: 0
// only when both lanes pass; each lane's result is repeated at the end.
import { spawn, spawnSync } from "node:child_process";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const started = Date.now();
const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;

const build = spawnSync(npm, ["run", "--silent", "build"], { stdio: "inherit" });
if (build.status !== 0) {
  console.error("flatlab test: the build failed; no tests ran.");
  process.exit(build.status ?? 1);
}

/** Runs `npm run <script>` for each script in turn, prefixing its output lines; resolves to the first failing status (0 when all pass). */
function lane(name, scripts) {
  const prefix = `${name.padEnd(9)} │ `;
  const write = (stream, text) => stream.write(text.replace(/\r(?!\n)/g, "\n").split("\n").map((l) => prefix + l).join("\n") + "\n");
  return scripts.reduce((previous, script) => previous.then((status) => status !== 0 ? status : new Promise((resolve) => {
    const child = spawn(npm, ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"] });
    for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
      let pending = "";
      from.setEncoding("utf8");
      from.on("data", (chunk) => {
        const lines = (pending + chunk).split("\n");
        pending = lines.pop();
        if (lines.length > 0) write(to, lines.join("\n"));
      });
      from.on("end", () => { if (pending) write(to, pending); });
    }
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  })), Promise.resolve(0));
}

const lanes = [["unit", ["typecheck", "test:unit"]], ["notebooks", ["test:notebooks"]]];
const results = await Promise.all(lanes.map(([name, scripts]) => lane(name, scripts)));
for (const [i, [name]] of lanes.entries()) console.log(`flatlab test: ${name} ${results[i] === 0 ? "passed" : `FAILED (exit ${results[i]})`}`);
console.log(`flatlab test: ${elapsed()} in all`);
process.exitCode = results.some((s) => s !== 0) ? 1 : 0;
