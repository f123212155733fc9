import { test } from "node:test";
import assert from "node:assert/strict";
import { conformKernelInfo } from "../../src/kernel/kernelInfo.js";
import { kernelFacts } from "../../src/kernel/launcher.js";

// What tslab 1.0.22's handleKernel returns for the TypeScript kernel.
const TSLAB_REPLY = {
  protocol_version: "5.3",
  implementation: "tslab",
  implementation_version: "1.0.0",
  language_info: { name: "typescript", version: "3.7.2", mimetype: "text/typescript", file_extension: ".ts", codemirror_mode: { mode: "typescript", name: "javascript", typescript: true } },
  banner: "TypeScript",
};

test("kernel_info_reply gains status ok, the real versions, help links, and keeps tslab's codemirror mode", () => {
  const r = conformKernelInfo(TSLAB_REPLY, { typescriptVersion: "5.0.4", tslabVersion: "1.0.22", readmeUrl: "file:///x/README.md" });
  assert.equal(r.status, "ok");
  assert.equal(r.implementation_version, "1.0.22");
  const li = r.language_info as Record<string, unknown>;
  assert.equal(li.version, "5.0.4");
  assert.equal(li.file_extension, ".ts");
  assert.equal(li.pygments_lexer, "typescript");
  assert.deepEqual(li.codemirror_mode, TSLAB_REPLY.language_info.codemirror_mode);
  assert.deepEqual((r.help_links as { url: string }[])[0], { text: "flatlab README", url: "file:///x/README.md" });
  for (const key of ["status", "protocol_version", "implementation", "language_info", "banner"]) assert.ok(key in r, key);
});

test("kernelFacts reads the TypeScript version tslab compiles with, not the project's own", () => {
  const facts = kernelFacts();
  assert.equal(facts.typescriptVersion, require("@tslab/typescript-for-tslab/package.json").version);
  assert.match(facts.typescriptVersion, /^5\.0\./);
  assert.equal(facts.tslabVersion, require("tslab/package.json").version);
  assert.match(facts.readmeUrl, /README\.md$|^https?:/);
});
