/* trace-report: progressive enhancement for index.html and runs/*.html, and the boot of the
   page script. ES5 syntax (no let, const, arrow functions or classes) with a few later
   built-ins (Map, Promise, Intl.Collator), no dependencies. Everything
   works without this script; it only adds selection, keyboard navigation, filtering and
   sorting. The page script is one inline script: the files assets/bundles.txt lists for
   page.js (this one after run-page.js, before eval.js and index-table.js), joined in order.
   Runs under a strict Content-Security-Policy: no eval, no network, no injected style or
   script elements. */
(function () {
  "use strict";

  var dom = TraceReportDOM;
  var tableModel = TraceReportTable;
  var $ = dom.$, $$ = dom.$$, el = dom.el;

  // -------------------------------------------------------------- index page

  function initIndexPage() {
    var table = $("table.runs") || document.getElementById("runs");
    if (!table || $("script.run-rows")) return; // a large index: index-table.js draws it
    var tbody = table.tBodies && table.tBodies[0];
    if (!tbody) return;
    var allRows = Array.prototype.slice.call(tbody.rows).filter(function (tr) {
      return tr.hasAttribute("data-run-id");
    });
    var total = allRows.length;

    var controls = $(".controls");
    if (!controls) {
      controls = el("div", { class: "controls" });
      table.parentNode.insertBefore(controls, table);
    }
    var filter = document.getElementById("filter");
    if (!filter) {
      filter = el("input", {
        type: "search",
        id: "filter",
        placeholder: "Filter runs\u2026",
        "aria-label": "Filter runs",
        autocomplete: "off",
        spellcheck: "false"
      });
      controls.appendChild(filter);
    }
    var status = document.getElementById("status-filter");
    if (!status) {
      status = el("select", { id: "status-filter", "aria-label": "Filter by status" });
      controls.appendChild(status);
    }
    if (!status.options.length) {
      [["all", "All statuses"], ["ok", "ok"], ["error", "error"], ["unfinished", "unfinished"]].forEach(function (o) {
        status.appendChild(el("option", { value: o[0] }, o[1]));
      });
    }
    var count = $(".count", controls);
    if (!count) {
      count = el("span", { class: "count", "aria-live": "polite" });
      controls.appendChild(count);
    }
    controls.hidden = false;

    // Cached per-row search text, built once.
    var texts = new Map();
    allRows.forEach(function (tr) {
      var parts = [tr.textContent];
      for (var i = 0; i < tr.cells.length; i++) {
        var v = tr.cells[i].getAttribute("data-value");
        if (v) parts.push(v);
      }
      texts.set(tr, parts.join(" ").toLowerCase());
    });

    function applyFilter() {
      var terms = tableModel.searchTerms(filter.value);
      var st = status.value || "all";
      var shown = 0;
      allRows.forEach(function (tr) {
        var ok = tableModel.rowMatches(texts.get(tr), tr.getAttribute("data-status"), st, terms);
        if (tr.hidden === ok) tr.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = tableModel.countLabel(shown, total);
    }
    filter.addEventListener("input", applyFilter);
    filter.addEventListener("search", applyFilter);
    filter.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { filter.value = ""; applyFilter(); }
    });
    status.addEventListener("change", applyFilter);

    // Sorting
    var original = new Map();
    allRows.forEach(function (tr, i) { original.set(tr, i); });

    function cellFor(tr, key) {
      for (var i = 0; i < tr.cells.length; i++) {
        if (tr.cells[i].getAttribute("data-key") === key) return tr.cells[i];
      }
      return null;
    }
    function sortKey(tr, key, numeric) {
      var td = cellFor(tr, key);
      var raw = td ? td.getAttribute("data-value") : null;
      if (raw == null) raw = td ? td.textContent.trim() : "";
      return tableModel.sortValue(raw, numeric);
    }

    function sortBy(th, dir) {
      var key = th.getAttribute("data-key");
      if (!key) return;
      var numeric = th.getAttribute("data-type") === "num";
      var keyed = allRows.map(function (tr) { return [sortKey(tr, key, numeric), original.get(tr), tr]; });
      tableModel.sortKeyed(keyed, numeric, dir);
      var frag = document.createDocumentFragment();
      keyed.forEach(function (k) { frag.appendChild(k[2]); });
      tbody.appendChild(frag);
      var ths = table.tHead ? table.tHead.rows[0].cells : [];
      for (var i = 0; i < ths.length; i++) {
        if (ths[i] === th) ths[i].setAttribute("aria-sort", dir);
        else if (ths[i].hasAttribute("aria-sort")) ths[i].setAttribute("aria-sort", "none");
      }
    }

    if (table.tHead && table.tHead.rows.length) {
      var headCells = table.tHead.rows[0].cells;
      for (var h = 0; h < headCells.length; h++) {
        var th = headCells[h];
        if (!th.hasAttribute("data-key")) continue;
        th.tabIndex = 0;
        th.title = "Sort by " + th.textContent.trim();
      }
      var activate = function (e) {
        var th = e.target && e.target.closest ? e.target.closest("th[data-key]") : null;
        if (!th) return;
        if (e.type === "keydown") {
          if (e.key !== "Enter" && e.key !== " ") return;
          e.preventDefault();
        }
        sortBy(th, tableModel.nextDirection(th.getAttribute("aria-sort")));
      };
      table.tHead.addEventListener("click", activate);
      table.tHead.addEventListener("keydown", activate);
    }

    applyFilter();
  }

  // ------------------------------------------------ text fields: raw and copy
  // Each text field (.tf, with data-format) gets a Copy button, and a Raw/Rendered
  // toggle when the page holds the text as written (.tf-raw) beside the rendering.
  // Copy takes the text as written when there is one, else the shown text.

  function copyText(text, button) {
    function done(label) {
      button.textContent = label;
      button.setAttribute("data-state", label === "Copied" ? "copied" : "selected");
      setTimeout(function () { button.textContent = "Copy"; button.removeAttribute("data-state"); }, 1600);
    }
    function fallback() {
      var area = el("textarea", { class: "tf-copy-area", readonly: "" });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      done(ok ? "Copied" : "Select and press Ctrl+C");
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done("Copied"); }, fallback);
    } else {
      fallback();
    }
  }

  function initTextFields() {
    Array.prototype.forEach.call($$(".tf"), function (field) {
      if (field.querySelector(":scope > .tf-tools")) return;
      var raw = field.querySelector(":scope > .tf-raw");
      var tools = el("span", { class: "tf-tools" });
      if (raw) {
        var toggle = el("button", { type: "button", class: "tf-toggle", "aria-pressed": "false", title: "Show the text as written" }, "Raw");
        toggle.addEventListener("click", function (event) {
          event.preventDefault();
          var showRaw = raw.hidden;
          raw.hidden = !showRaw;
          field.classList.toggle("tf-show-raw", showRaw);
          toggle.setAttribute("aria-pressed", showRaw ? "true" : "false");
          toggle.textContent = showRaw ? "Rendered" : "Raw";
          toggle.title = showRaw ? "Show the rendered text" : "Show the text as written";
        });
        tools.appendChild(toggle);
      }
      var copy = el("button", { type: "button", class: "tf-copy", title: "Copy the text as written" }, "Copy");
      copy.addEventListener("click", function (event) {
        event.preventDefault();
        var text = raw ? raw.textContent : (field.querySelector(":scope > :not(.tf-tools)") || field).textContent;
        copyText(text, copy);
      });
      tools.appendChild(copy);
      field.insertBefore(tools, field.firstChild);
    });
  }

  // ------------------------------------------------------------ test hooks
  // window.traceReport.spanIds(): every span id of the run, in tree order (run-viewer.js
  // answers it from the data on pages of large runs). enhanceTextFields() adds the text
  // field tools to fields added after load.

  var api = window.traceReport = window.traceReport || {};
  api.spanIds = function () {
    return Array.prototype.map.call($$(".tree .node[data-span-id]"), function (n) {
      return n.getAttribute("data-span-id");
    });
  };
  api.enhanceTextFields = initTextFields;

  // -------------------------------------------------------------------- boot

  // A large index shows a run's page body in place and sets it up with this.
  var api = window.traceReport = window.traceReport || {};
  api._initRunPage = function () {
    initTextFields();
    TraceReportRunPage.init();
    (api._runPageSetups || []).forEach(function (f) { f(); });
  };

  function init() {
    var body = document.body;
    if (!body) return;
    body.classList.add("js");
    try {
      if (body.classList.contains("run-data")) initTextFields(); // run-viewer.js draws the tree
      else if (body.classList.contains("run-page")) { initTextFields(); TraceReportRunPage.init(); }
      else if (body.classList.contains("index-page")) initIndexPage();
    } catch (err) {
      // Never break the page: the report is fully usable without this script.
      body.classList.remove("js");
      if (window.console && console.warn) console.warn("trace-report: " + (err && err.message));
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
