/**
 * kernel_info_reply conforming to the Jupyter v5 message schema (issue 6 item 1). tslab 1.0.22
 * omits `status`, reports TypeScript "3.7.2" and implementation_version "1.0.0" whatever it runs;
 * we keep its fields (notably codemirror_mode, which makes editors highlight TypeScript) and fill
 * in the real versions, a pygments lexer for nbconvert's HTML and help links.
 */

export interface KernelFacts {
  /** The TypeScript version tslab compiles cells with (its bundled @tslab/typescript-for-tslab). */
  typescriptVersion: string;
  tslabVersion: string;
  /** Where the project README lives (a web page, or a file: URL of the local checkout). */
  readmeUrl: string;
}

export interface HelpLink {
  text: string;
  url: string;
}

export function conformKernelInfo(tslabReply: Record<string, unknown>, facts: KernelFacts): Record<string, unknown> {
  const languageInfo = (typeof tslabReply.language_info === "object" && tslabReply.language_info !== null ? tslabReply.language_info : {}) as Record<string, unknown>;
  const helpLinks: HelpLink[] = [
    { text: "flatlab README", url: facts.readmeUrl },
    { text: "tslab", url: "https://github.com/yunabe/tslab" },
    { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
  ];
  return {
    ...tslabReply,
    status: "ok",
    protocol_version: "5.3",
    implementation: "tslab",
    implementation_version: facts.tslabVersion,
    language_info: {
      ...languageInfo,
      name: "typescript",
      version: facts.typescriptVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
    },
    banner: `TypeScript ${facts.typescriptVersion} in tslab ${facts.tslabVersion}, with the flatlab kernel extension (rich results, error messages, stop_on_error)`,
    help_links: helpLinks,
    debugger: false,
  };
}
