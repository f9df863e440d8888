// The buffer lab: runs one op script (the conformance crate's JSON-lines
// format: a header line, then one op per line) on two engines compiled to
// WebAssembly, zigio (crates/lab) and Zig 0.15.1's std.Io.Writer
// (crates/conformance/zig/lab.zig), and shows both traces, the first line
// where they differ, the buffer's occupancy after each op, and the programs
// that print the same trace.
//
// Markup: <div class="buffer-lab" data-preset="NAME"></div>, with this
// script loaded once on the page; each lab is built as it nears the
// viewport (see `start`). The script text is the source of truth;
// the controls rewrite its header line, and editing the header updates them.
"use strict";

(function () {
  const here = document.currentScript.src;
  const asset = (path) => new URL(path, here).href;

  // Zig 0.15.1 bugs the book documents, by the conformance rule that
  // detects them.
  const BUG_PAGE = asset("../conformance.html#deliberate-differences");

  const PRESETS = {
    drains: "Drains as context switches",
    "never-flushes": "The queue that never flushes",
    "back-pressure": "Back-pressure",
    rebase: "Rebase keeps the newest bytes",
    "partial-drains": "Partial drains and consume",
    limit: "A limited write",
    "splat-header-limit": "A Zig 0.15.1 bug: writeSplatHeaderLimit",
  };

  const SINKS = {
    scripted: "buffered writer over a sink",
    fixed: "fixed",
    allocating: "allocating",
    discarding: "discarding",
  };

  const ACCEPT_ALL = 1048576;

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let modules = null;

  function loadModules() {
    if (!modules) {
      const compile = (name) =>
        fetch(asset(name))
          .then((r) => {
            if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
            return r.arrayBuffer();
          })
          .then((bytes) => WebAssembly.compile(bytes));
      modules = Promise.all([compile("zigio.wasm"), compile("zig.wasm")]);
    }
    return modules;
  }

  // Runs `text` through a fresh instance of `module`: a trap leaves an
  // instance in an unknown state, so each run gets its own.
  async function call(module, fn, text) {
    const instance = await WebAssembly.instantiate(module, {});
    const x = instance.exports;
    const bytes = encoder.encode(text);
    const ptr = x.lab_alloc(bytes.length);
    new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
    let trapped = null;
    let status = 0;
    try {
      status = x[fn](ptr, bytes.length);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      trapped = e;
    }
    const read = (p, n) => decoder.decode(new Uint8Array(x.memory.buffer, p, n).slice());
    const output = read(x.lab_output_ptr(), x.lab_output_len());
    return { x, read, output, trapped, status };
  }

  async function runZigio(module, text) {
    const r = await call(module, "lab_run", text);
    let out;
    try {
      out = JSON.parse(r.output);
    } catch {
      out = { panicked: { message: r.trapped ? r.trapped.message : "no output" } };
    }
    if (out.panicked) return { panic: out.panicked.message, trace: "", flags: [] };
    if (out.invalid) return { error: out.invalid.error, trace: "" };
    return { trace: out.ran.trace, flags: out.ran.flags };
  }

  async function runZig(module, text) {
    const r = await call(module, "lab_run", text);
    const message = () => r.read(r.x.lab_message_ptr(), r.x.lab_message_len());
    if (r.trapped) {
      if (r.x.lab_trap_kind() === 1) return { error: message(), trace: r.output };
      return { panic: message(), trace: r.output };
    }
    if (r.status !== 0) return { error: message(), trace: r.output };
    return { trace: r.output };
  }

  async function program(module, fn, text) {
    const r = await call(module, fn, text);
    return r.trapped ? "" : r.output;
  }

  // ---- header line <-> controls ----

  function parseHeader(text) {
    const first = text.split("\n", 1)[0];
    try {
      const h = JSON.parse(first);
      return h && typeof h === "object" && "script" in h ? h : null;
    } catch {
      return null;
    }
  }

  function headerFromControls(c, old) {
    const h = { script: old ? old.script : 1, seed: old ? old.seed : 0, sink: c.sink.value };
    h.buffer = Math.max(0, Math.min(65536, parseInt(c.buffer.value, 10) || 0));
    if (h.sink === "scripted") {
      const per = parseInt(c.perDrain.value, 10);
      const n = per > 0 ? per : ACCEPT_ALL;
      h.budget = c.zeros.checked ? [n, 0] : [n];
      const k = parseInt(c.failAfter.value, 10);
      if (k >= 0 && c.failAfter.value !== "") h.fail_after = k;
    }
    return h;
  }

  function controlsFromHeader(c, h) {
    c.sink.value = h.sink in SINKS ? h.sink : "scripted";
    c.buffer.value = String(h.buffer ?? 0);
    const budget = Array.isArray(h.budget) ? h.budget : [];
    const simple =
      budget.length === 1 || (budget.length === 2 && budget[1] === 0 && budget[0] > 0);
    c.custom.hidden = h.sink !== "scripted" || simple;
    c.perDrain.value = simple && budget[0] < ACCEPT_ALL ? String(budget[0]) : "";
    c.zeros.checked = simple && budget.length === 2;
    c.failAfter.value = h.fail_after == null ? "" : String(h.fail_after);
    c.sinkFields.disabled = h.sink !== "scripted";
  }

  // ---- views ----

  function traceView(pre, trace, diverge) {
    pre.textContent = "";
    trace.split("\n").forEach((line, i, all) => {
      if (i === all.length - 1 && line === "") return;
      const node = i === diverge ? document.createElement("mark") : document.createTextNode("");
      node.textContent = line + "\n";
      pre.appendChild(node);
    });
  }

  function firstDifference(a, b) {
    const x = a.split("\n");
    const y = b.split("\n");
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      if (x[i] !== y[i]) return i;
    }
    return -1;
  }

  // (op index, end, cap) after every op of a trace.
  function occupancy(trace) {
    const points = [];
    for (const line of trace.split("\n")) {
      const m = /^op (\d+) \S+ .*end=(\d+) cap=(\d+)/.exec(line);
      if (m) points.push([+m[1], +m[2], +m[3]]);
    }
    return points;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function chart(svg, series) {
    // Redrawn from scratch, but for the <title> that names the chart.
    const title = svg.querySelector("title");
    svg.textContent = "";
    if (title) svg.appendChild(title);
    const all = series.flatMap((s) => s.points);
    const w = 600;
    const h = 160;
    const pad = 28;
    const maxX = Math.max(1, ...all.map((p) => p[0]));
    const maxY = Math.max(1, ...all.map((p) => Math.max(p[1], p[2])));
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    const x = (v) => pad + (v / maxX) * (w - 2 * pad);
    const y = (v) => h - pad + 4 - (v / maxY) * (h - 2 * pad);
    const el = (name, attrs, text) => {
      const e = document.createElementNS(SVG, name);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      if (text !== undefined) e.textContent = text;
      svg.appendChild(e);
      return e;
    };
    el("line", { x1: pad, y1: y(0), x2: w - pad, y2: y(0), class: "axis" });
    el("line", { x1: pad, y1: y(0), x2: pad, y2: y(maxY), class: "axis" });
    el("text", { x: 2, y: y(maxY) + 4, class: "tick" }, String(maxY));
    el("text", { x: 2, y: y(0) + 4, class: "tick" }, "0");
    el("text", { x: w - pad, y: h - 2, class: "tick", "text-anchor": "end" }, `op ${maxX}`);
    series.forEach((s) => {
      if (s.points.length === 0) return;
      const d = s.points.map((p, i) => `${i ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`);
      el("path", { d: d.join(""), class: `series ${s.cls}` });
    });
  }

  // ---- the widget ----

  let nextId = 0;
  function build(root) {
    const id = `lab${nextId++}`;
    root.innerHTML = `
<form class="lab-controls" aria-label="Buffer lab settings (${root.dataset.preset || id})">
  <label>Preset <select name="preset"></select></label>
  <label>Writer <select name="sink"></select></label>
  <label>Buffer capacity (bytes) <input name="buffer" type="number" min="0" max="65536" step="1"></label>
  <fieldset name="sinkFields"><legend>Sink (buffered writer only)</legend>
    <label>Bytes accepted per drain <input name="perDrain" type="number" min="1" step="1" placeholder="all"></label>
    <label><input name="zeros" type="checkbox"> Every other drain returns 0</label>
    <label>Fail once this many bytes went through <input name="failAfter" type="number" min="0" step="1" placeholder="never"></label>
    <p class="lab-custom" hidden>The script's header has a custom budget; edit it in the script.</p>
  </fieldset>
  <label class="lab-script" for="${id}-script">Script (a header line, then one operation per line)</label>
  <textarea id="${id}-script" name="script" rows="10" spellcheck="false" autocapitalize="off"></textarea>
</form>
<p class="lab-status" role="status" aria-live="polite"></p>
<ul class="lab-flags"></ul>
<figure class="lab-chart">
  <svg role="img" aria-labelledby="${id}-chart-title"><title id="${id}-chart-title">Buffered bytes after each operation</title></svg>
  <figcaption>Buffered bytes after each operation: <span class="key zigio">zigio</span>, <span class="key zig">Zig 0.15.1</span>.</figcaption>
</figure>
<div class="lab-traces">
  <div><h4 id="${id}-zigio">zigio</h4><pre class="lab-trace" data-engine="zigio" tabindex="0" aria-labelledby="${id}-zigio"></pre></div>
  <div><h4 id="${id}-zig">Zig 0.15.1 std.Io.Writer</h4><pre class="lab-trace" data-engine="zig" tabindex="0" aria-labelledby="${id}-zig"></pre></div>
</div>
<details class="lab-program" data-lang="rust"><summary>This run as a Rust program (zigio)</summary><button type="button" class="lab-copy">Copy the program</button><pre><code class="language-rust"></code></pre></details>
<details class="lab-program" data-lang="zig"><summary>This run as a Zig 0.15.1 program</summary><button type="button" class="lab-copy">Copy the program</button><pre><code class="language-zig"></code></pre></details>`;
    const form = root.querySelector("form");
    const c = {
      preset: form.elements.preset,
      sink: form.elements.sink,
      buffer: form.elements.buffer,
      sinkFields: form.elements.sinkFields,
      perDrain: form.elements.perDrain,
      zeros: form.elements.zeros,
      failAfter: form.elements.failAfter,
      custom: root.querySelector(".lab-custom"),
      script: form.elements.script,
    };
    for (const [value, label] of Object.entries(PRESETS)) c.preset.add(new Option(label, value));
    for (const [value, label] of Object.entries(SINKS)) c.sink.add(new Option(label, value));
    const status = root.querySelector(".lab-status");
    const flags = root.querySelector(".lab-flags");
    const pres = {
      zigio: root.querySelector('pre[data-engine="zigio"]'),
      zig: root.querySelector('pre[data-engine="zig"]'),
    };
    const svg = root.querySelector("svg");
    const codes = {
      rust: root.querySelector('.lab-program[data-lang="rust"] code'),
      zig: root.querySelector('.lab-program[data-lang="zig"] code'),
    };
    root.dataset.runs = "0";
    for (const details of root.querySelectorAll(".lab-program")) {
      const button = details.querySelector(".lab-copy");
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(details.querySelector("code").textContent);
          button.textContent = "Copied";
        } catch (e) {
          button.textContent = `Not copied: ${e.message}`;
        }
        setTimeout(() => (button.textContent = "Copy the program"), 2000);
      });
    }

    let pending = 0;
    async function run() {
      const ticket = ++pending;
      const text = c.script.value;
      let engines;
      try {
        engines = await loadModules();
      } catch (e) {
        status.textContent = `The lab's engines could not be loaded (${e.message}); \`cargo xtask setup\` builds them into book/lab/.`;
        root.dataset.state = "unavailable";
        return;
      }
      const [zigioModule, zigModule] = engines;
      const [a, b, rust, zig] = await Promise.all([
        runZigio(zigioModule, text),
        runZig(zigModule, text),
        program(zigioModule, "lab_rust_program", text),
        program(zigioModule, "lab_zig_program", text),
      ]);
      if (ticket !== pending) return;
      show(a, b, rust, zig);
      root.dataset.runs = String(+root.dataset.runs + 1);
    }

    function show(a, b, rust, zig) {
      flags.textContent = "";
      if (a.error) {
        status.textContent = `The script is not valid: ${a.error}`;
        root.dataset.state = "invalid";
        traceView(pres.zigio, "", -1);
        traceView(pres.zig, "", -1);
        chart(svg, []);
        codes.rust.textContent = "";
        codes.zig.textContent = "";
        return;
      }
      const diverge = firstDifference(a.trace, b.trace);
      traceView(pres.zigio, a.trace, diverge);
      traceView(pres.zig, b.trace, diverge);
      chart(svg, [
        { cls: "zig", points: occupancy(b.trace) },
        { cls: "zigio", points: occupancy(a.trace) },
      ]);
      const end = /^end (.*)$/m.exec(a.trace);
      let text;
      if (diverge < 0) {
        text = `zigio and Zig 0.15.1 agree, line for line (${end ? end[1] : "no end line"}).`;
        root.dataset.state = "agree";
      } else {
        text = `The traces part at line ${diverge + 1} (marked).`;
        if (a.panic) text += ` zigio panicked: ${a.panic}.`;
        if (b.panic) text += ` Zig 0.15.1 panicked: ${b.panic}.`;
        root.dataset.state = "diverge";
      }
      status.textContent = text;
      for (const f of a.flags || []) {
        const li = document.createElement("li");
        li.dataset.rule = f.rule;
        li.append(`Op ${f.op} reaches a documented Zig 0.15.1 bug (`);
        const link = document.createElement("a");
        link.href = BUG_PAGE;
        link.textContent = f.rule;
        li.append(link, `): ${f.reason}.`);
        flags.appendChild(li);
      }
      codes.rust.textContent = rust;
      codes.zig.textContent = zig;
      // mdBook highlighted the page's code when it loaded; these blocks are
      // filled later (the Zig grammar is assets/zig-highlight.js).
      if (window.hljs) {
        for (const code of Object.values(codes)) window.hljs.highlightBlock(code);
      }
    }

    let timer = 0;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    };
    const header = () => parseHeader(c.script.value);
    function rewriteHeader() {
      const lines = c.script.value.split("\n");
      const h = headerFromControls(c, header());
      if (header()) lines[0] = JSON.stringify(h);
      else lines.unshift(JSON.stringify(h));
      c.script.value = lines.join("\n");
      controlsFromHeader(c, h);
      soon();
    }
    for (const name of ["sink", "buffer", "perDrain", "zeros", "failAfter"]) {
      c[name].addEventListener("input", rewriteHeader);
      c[name].addEventListener("change", rewriteHeader);
    }
    c.script.addEventListener("input", () => {
      const h = header();
      if (h) controlsFromHeader(c, h);
      soon();
    });
    async function loadPreset(name) {
      const r = await fetch(asset(`presets/${name}.jsonl`));
      c.script.value = r.ok ? (await r.text()).trimEnd() : "";
      const h = header();
      if (h) controlsFromHeader(c, h);
      await run();
    }
    c.preset.addEventListener("change", () => loadPreset(c.preset.value));
    form.addEventListener("submit", (e) => e.preventDefault());
    const preset = root.dataset.preset in PRESETS ? root.dataset.preset : "drains";
    c.preset.value = preset;
    loadPreset(preset);
  }

  // Each lab is built when it comes within a screen of the viewport:
  // building one fetches and compiles both engines and runs its preset,
  // work that kept a phone's main thread busy while the page loaded
  // (Lighthouse's total blocking time), for labs the reader has not
  // scrolled to. The labs above the heading a link to the page lands on
  // are built at once, as all were before: built later, they would push
  // that heading out of view.
  function start() {
    const labs = document.querySelectorAll(".buffer-lab");
    if (!("IntersectionObserver" in window)) {
      labs.forEach(build);
      return;
    }
    let target = null;
    try {
      target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    } catch (_) {
      // A malformed fragment names no element.
    }
    const near = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) {
            near.unobserve(entry.target);
            build(entry.target);
          }
        }
      },
      { rootMargin: "100% 0px" },
    );
    for (const lab of labs) {
      const before = target && lab.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING;
      if (before) build(lab);
      else near.observe(lab);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
