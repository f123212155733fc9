// Runs inside the page (headless Chromium), not in Node: reads a rendered notebook back from the
// DOM, for test/notebooks/*.test.ts. Plain browser JavaScript on purpose: the project's type check
// has no DOM library. Evaluated as an expression; its value is the function `inspect`.
(() => {
  /** Pixel statistics of one image as drawn: the background is the top-left pixel. */
  function pixels(source, width, height) {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(source, 0, 0, width, height);
    const data = ctx.getImageData(0, 0, width, height).data;
    const [r0, g0, b0, a0] = data.slice(0, 4);
    let ink = 0;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (Math.abs(r - r0) + Math.abs(g - g0) + Math.abs(b - b0) + Math.abs(a - a0) <= 24) continue;
      ink++;
      colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
    }
    const total = width * height;
    return { ink: ink / total, colours: colours.size };
  }

  async function image(el) {
    const box = el.getBoundingClientRect();
    const shown = { shownWidth: Math.round(box.width), shownHeight: Math.round(box.height) };
    if (el instanceof SVGSVGElement) {
      const shapes = el.querySelectorAll("path, rect, line, circle, text, polygon, polyline, image").length;
      const img = new Image();
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(el));
      try {
        await img.decode();
      } catch {
        return { kind: "svg", shapes, naturalWidth: 0, naturalHeight: 0, ...shown, ink: 0, colours: 0 };
      }
      const w = Math.max(1, Math.round(box.width)), h = Math.max(1, Math.round(box.height));
      return { kind: "svg", shapes, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight, ...shown, ...pixels(img, w, h) };
    }
    try {
      await el.decode();
    } catch {
      // a broken image keeps naturalWidth 0, reported below
    }
    const stats = el.naturalWidth > 0 ? pixels(el, el.naturalWidth, el.naturalHeight) : { ink: 0, colours: 0 };
    return { kind: el.src.slice(0, 24), naturalWidth: el.naturalWidth, naturalHeight: el.naturalHeight, ...shown, ...stats };
  }

  /**
   * Text a reader sees: the element's text without MathJax's typeset math and its sources; for
   * `prose`, without code either (identifiers such as FLATLAB_MODE are not math).
   */
  function visibleText(el, prose = false) {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("script, style, .MathJax_Preview, .MathJax, .MathJax_Display, .MathJax_CHTML, .mjx-chtml, .MJX_Assistive_MathML, mjx-container").forEach((n) => n.remove());
    if (prose) copy.querySelectorAll("code, pre, img, svg").forEach((n) => n.remove());
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  const LAYOUTS = {
    // nbconvert's default (lab) template
    nbconvert: { cell: "body > .jp-Cell, main > .jp-Cell, .jp-Notebook > .jp-Cell", output: ".jp-OutputArea-child", markdown: ".jp-RenderedMarkdown", kind: (c) => (c.classList.contains("jp-MarkdownCell") ? "markdown" : c.classList.contains("jp-CodeCell") ? "code" : "raw") },
    // the classic Notebook 6.x
    classic: { cell: "#notebook-container > .cell", output: ".output_area", markdown: ".rendered_html", kind: (c) => (c.classList.contains("text_cell") ? "markdown" : c.classList.contains("code_cell") ? "code" : "raw") },
  };

  return async function inspect(layoutName) {
    const layout = LAYOUTS[layoutName];
    const cells = [];
    for (const c of document.querySelectorAll(layout.cell)) {
      const kind = layout.kind(c);
      const cell = { kind, outputs: [] };
      if (kind === "markdown") {
        const md = c.querySelector(layout.markdown);
        cell.text = md ? visibleText(md, true) : "";
      }
      for (const o of c.querySelectorAll(layout.output)) {
        const images = [];
        for (const el of o.querySelectorAll("img, svg")) {
          if (el instanceof SVGElement && el.ownerSVGElement) continue; // nested svg
          if (el.closest(".MathJax, .MathJax_CHTML, .mjx-chtml")) continue;
          images.push(await image(el));
        }
        const count = (sel) => o.querySelectorAll(sel).length;
        cell.outputs.push({
          classes: [...o.querySelectorAll("*")].map((e) => (typeof e.className === "string" ? e.className : "")).filter((n) => /output_(png|svg|html|markdown|text|result)|jp-Rendered/.test(n)).slice(0, 3).join(" | "),
          text: visibleText(o).slice(0, 400),
          prose: visibleText(o, true),
          tags: { li: count("li"), strong: count("strong, b"), em: count("em"), table: count("table"), code: count("code") },
          images,
        });
      }
      cells.push(cell);
    }
    const mathjax = window.MathJax && window.MathJax.Hub ? {
      version: window.MathJax.version,
      typeset: document.querySelectorAll(".MathJax_CHTML, .mjx-chtml.MathJax_CHTML, .MathJax, .MathJax_Display").length,
      errors: [...document.querySelectorAll(".mjx-merror, .MathJax_Error, merror")].map((e) => e.textContent.slice(0, 120)),
    } : null;
    return { cells, mathjax };
  };
})()
