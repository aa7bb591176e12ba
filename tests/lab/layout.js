// Measurements of the page, installed into JupyterLab by test_lab_widgets.py. Every
// function reads the notebook shown in the main area (cells by index) and returns plain
// data for the test to assert on; none of them changes the page but tableScroll, which
// scrolls the table and puts it back.
window.atribuLab = {
  // What a user sees and uses: form controls, labels, pictures and HTML blocks.
  CONTROLS: "input, select, button, textarea, .widget-label, img, .widget-html",

  panel() {
    return window.jupyterapp.shell.currentWidget;
  },

  cell(index) {
    return this.panel().content.widgets[index].node;
  },

  outputs(index) {
    return Array.from(this.cell(index).querySelectorAll(".jp-OutputArea-output"));
  },

  // The kernel is idle and every code cell has run (has an execution count).
  ranAll() {
    const panel = this.panel();
    const session = panel && panel.sessionContext && panel.sessionContext.session;
    if (!session || !session.kernel || session.kernel.status !== "idle") return false;
    return panel.content.widgets.every(
      (cell) => cell.model.type !== "code" || cell.model.executionCount !== null,
    );
  },

  kernelIdle() {
    const panel = this.panel();
    const session = panel && panel.sessionContext && panel.sessionContext.session;
    return Boolean(session && session.kernel && session.kernel.status === "idle");
  },

  outputWidth(index) {
    const output = this.outputs(index).find((node) => node.querySelector(".jupyter-widgets"));
    return output ? output.clientWidth : null;
  },

  describe(el) {
    const box = el.closest(".widget-inline-hbox, .widget-toggle-buttons");
    const label = box && box.querySelector(".widget-label");
    const text = (label ? label.textContent : el.textContent || el.title || "").trim();
    return `${el.tagName.toLowerCase()}${text ? ` "${text.slice(0, 40)}"` : ""}`;
  },

  // Why the outputs of a cell make a user scroll sideways or hide part of a control:
  // an output wider than its area, a control past the output's edges, or a control cut
  // by a box that hides or scrolls its overflow sideways (such a box shows no scrollbar
  // for it, or one the user must find). A table scrolling inside its own box is fine:
  // its cells are not controls.
  layoutProblems(index) {
    const problems = [];
    for (const output of this.outputs(index)) {
      if (output.scrollWidth > output.clientWidth + 1) {
        problems.push(
          `the output scrolls sideways: ${output.scrollWidth} px in ${output.clientWidth} px`,
        );
      }
      const area = output.getBoundingClientRect();
      for (const el of output.querySelectorAll(this.CONTROLS)) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue; // not displayed
        if (r.left < area.left - 1 || r.right > area.right + 1) {
          problems.push(
            `${this.describe(el)} spans ${Math.round(r.left - area.left)}..` +
              `${Math.round(r.right - area.left)} px of a ${Math.round(area.width)} px output`,
          );
          continue;
        }
        for (let up = el.parentElement; up && up !== output; up = up.parentElement) {
          if (getComputedStyle(up).overflowX === "visible") continue;
          const clip = up.getBoundingClientRect();
          if (r.left < clip.left - 1 || r.right > clip.right + 1) {
            problems.push(`${this.describe(el)} is cut sideways by a box hiding its overflow`);
            break;
          }
        }
      }
    }
    return problems;
  },

  mathjax(index) {
    const found = [];
    for (const output of this.outputs(index)) {
      for (const el of output.querySelectorAll("mjx-container, .MathJax, .MathJax_Display")) {
        found.push(el.textContent.slice(0, 60));
      }
    }
    return found;
  },

  text(index) {
    return this.outputs(index).map((node) => node.textContent).join("\n");
  },

  // Every picture in the cell's outputs is decoded (charts arrive as blobs).
  imagesReady(index) {
    const images = this.outputs(index).flatMap((o) => Array.from(o.querySelectorAll("img")));
    return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0);
  },

  table(index) {
    const table = this.cell(index).querySelector(".atribu-widget-table");
    if (!table) return null;
    return Array.from(table.rows).map((row) =>
      Array.from(row.cells).map((c) => c.textContent.replace(/\s+/g, " ").trim()),
    );
  },

  // Scroll the table's box to its right end and back: does the name column stay at the
  // box's left edge, and is the last column then in view?
  tableScroll(index) {
    const table = this.cell(index).querySelector(".atribu-widget-table");
    const box = table.closest(".widget-html");
    const first = table.querySelector("tbody td");
    const headers = table.querySelectorAll("thead th");
    const last = headers[headers.length - 1];
    const before = first.getBoundingClientRect().left - box.getBoundingClientRect().left;
    box.scrollLeft = box.scrollWidth;
    const boxRect = box.getBoundingClientRect();
    const result = {
      scrolls: box.scrollWidth > box.clientWidth,
      overflowX: getComputedStyle(box).overflowX,
      scrolledBy: box.scrollLeft,
      nameLeftBefore: before,
      nameLeftAfter: first.getBoundingClientRect().left - boxRect.left,
      lastRightAfter: last.getBoundingClientRect().right - boxRect.left,
      boxInnerWidth: box.clientWidth,
    };
    box.scrollLeft = 0;
    return result;
  },

  // How many lines each name and parent takes in the table, and whether it is cut short.
  nameLines(index) {
    const table = this.cell(index).querySelector(".atribu-widget-table");
    return Array.from(table.querySelectorAll(".atribu-clamp")).map((el) => {
      const line = parseFloat(getComputedStyle(el).lineHeight);
      return {
        text: el.textContent,
        lines: el.clientHeight / line,
        clamped: el.scrollHeight > el.clientHeight + 1,
      };
    });
  },

  // The first name cut short to two lines (marked for the test to point at), or null.
  markClamped(index) {
    const table = this.cell(index).querySelector(".atribu-widget-table");
    const el = Array.from(table.querySelectorAll(".atribu-clamp")).find(
      (e) => e.scrollHeight > e.clientHeight + 1,
    );
    if (!el) return null;
    el.id = "atribu-lab-clamped";
    return el.textContent;
  },

  // The tick boxes of an EntityPicker and the names beside them.
  entities(index) {
    return Array.from(this.cell(index).querySelectorAll(".widget-checkbox")).map((box) => {
      const row = box.parentElement;
      const name = row.querySelector(".widget-html-content div");
      return {
        checked: box.querySelector("input").checked,
        text: name.textContent,
        title: box.querySelector("input").title,
        // Cut sideways, or squeezed by the list into less height than the name needs.
        cut: name.scrollWidth > name.clientWidth + 1,
        squeezed: row.scrollHeight > row.clientHeight + 1,
      };
    });
  },
};
