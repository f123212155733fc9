import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..", "src");

function imports(folder: string): { file: string; spec: string }[] {
  return readdirSync(join(root, folder))
    .filter((f) => f.endsWith(".ts"))
    .flatMap((file) => {
      const text = readFileSync(join(root, folder, file), "utf8");
      return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)["']([^"']+)["']/g)].map((m) => ({ file: `${folder}/${file}`, spec: m[1] }));
    });
}

test("src/figures imports only util/ and itself: specs are pure data, rendering lives in display/", () => {
  for (const { file, spec } of imports("figures")) {
    assert.ok(spec.startsWith("./") || spec.startsWith("../util/"), `${file} imports ${spec}`);
  }
});

test("src/display never imports tslab: the user passes the running kernel's module to useTslab", () => {
  const found = imports("display").filter(({ spec }) => spec === "tslab" || spec.startsWith("tslab/"));
  assert.deepEqual(found, []);
});
