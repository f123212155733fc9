/**
 * `npm run bench`: every benchmark, one after the other, each in its own process so that one's
 * memory and JIT state do not bias the next. Pass `quick` for fewer repetitions. The benchmarks
 * import the compiled library (dist/, built by `npm run bench` first), the code tslab loads: tsx's
 * on-the-fly CommonJS turns every imported function into a getter call, measured 5-25% slower in
 * the solvers' inner loops.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const quick = process.argv.includes("quick");
const only = process.argv.slice(2).filter((a) => a !== "quick");
const benches = readdirSync(__dirname).filter((f) => f.endsWith(".bench.ts")).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)));
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}${quick ? " (quick)" : ""}`);
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join(__dirname, file), ...(quick ? ["quick"] : [])], { stdio: "inherit" });
  if (r.status !== 0) { failed++; console.log(`=== ${file} failed (exit ${r.status})`); }
}
process.exit(failed === 0 ? 0 : 1);
