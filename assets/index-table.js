/* trace-report: the index of a large report. The page carries its rows and every run's page
   body as deflated, base64-encoded data in inert script elements (type application/x-…), its
   digits set apart (TraceReportTable.joinDigits puts them back);
   this draws only the rows in view, sorts and filters all of them, and opens a run that has
   no page of its own in place. Row and body HTML were escaped when the report was written;
   nothing here builds markup from trace text. Filtering and sorting are TraceReportTable's
   (table-model.js). Appended to report.js. Also offers tests
   window.traceReport.runIds() on every index. */
(function () {
  "use strict";
  var api = window.traceReport = window.traceReport || {};
  var tableModel = TraceReportTable;

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return (root || document).querySelectorAll(sel); }

  function inflateText(base64) {
    var bin = atob(base64);
    var n = bin.length;
    var bytes = new Uint8Array(n);
    for (var i = 0; i < n; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text().then(tableModel.joinDigits);
  }

  var table = null;
  var rowScripts = $$("script.run-rows");
  if (!rowScripts.length) {
    // A small index: every row is in the page.
    api.runIds = function () {
      return Array.prototype.map.call($$("table.runs tbody tr[data-run-id]"), function (tr) {
        return tr.getAttribute("data-run-id");
      });
    };
    return;
  }

  var ID = 0, STEM = 1, STATUS = 2, HTML = 3, SEARCH = 4, VALUES = 5;
  var rows = [];          // [id, stem, status, html, search, values] in start order (the data's)
  var byStem = new Map(); // file stem -> position in rows (and in the page bodies)
  var view = [];          // positions of the rows shown, in display order
  var order = null;       // positions sorted by the current column (null: start order)
  var keyCache = new Map();
  var rowH = 44, drawnFirst = -1, drawnLast = -1, drawnView = null;
  var tbody, colCount, numeric = [];
  var filter, status, count, more;
  var readyResolve;
  var ready = new Promise(function (resolve) { readyResolve = resolve; });

  api.runIds = function () {
    return ready.then(function () { return rows.map(function (r) { return r[ID]; }); });
  };

  var entities = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'" };
  function unescapeHTML(s) {
    return s.indexOf("&") === -1 ? s : s.replace(/&(?:amp|lt|gt|quot|#39);/g, function (e) { return entities[e]; });
  }

  // "\x3d" is "=": the script never holds these attributes as written, so counting them in
  // the page's text counts the rows it was written with.
  var head = /^<tr data-run-id\x3d"([^"]*)" data-status\x3d"([^"]*)"/;
  var link = /<a href="(?:runs\/([^"]*)\.html|#run\/([^"]*))"/;
  function loadChunk(script) {
    return inflateText(script.textContent).then(function (text) {
      var chunk = text.split("\u0000");
      for (var i = 0; i < chunk.length; i++) {
        var html = chunk[i];
        var h = head.exec(html) || ["", "", ""];
        var l = link.exec(html) || ["", "", ""];
        var stem = l[1] || l[2] || "";
        byStem.set(stem, rows.length);
        rows.push([unescapeHTML(h[1]), stem, h[2], html, null, null]);
      }
    });
  }

  // What the filter searches (the row's text, a space after each cell, then its cell values)
  // and the cells' values, read from the row's HTML in slices after the rows are drawn.
  var valueAttr = /data-value\x3d"([^"]*)"/g;
  function prepare(from) {
    var end = Math.min(rows.length, from + 5000);
    for (var i = from; i < end; i++) {
      var r = rows[i], html = r[HTML], values = [], m;
      valueAttr.lastIndex = 0;
      while ((m = valueAttr.exec(html))) values.push(unescapeHTML(m[1]));
      var text = unescapeHTML(html.replace(/<\/td>/g, " ").replace(/<[^>]*>/g, ""));
      r[SEARCH] = (text + " " + values.filter(Boolean).join(" ")).toLowerCase();
      r[VALUES] = values;
    }
    if (end < rows.length) return new Promise(function (resolve) { setTimeout(resolve, 0); }).then(function () { return prepare(end); });
    return Promise.resolve();
  }

  // ------------------------------------------------------------ drawing

  // Row and body HTML is parsed into an inert document (no script runs, nothing loads), then
  // its nodes are moved into the page.
  var parser = new DOMParser();
  function parseInto(target, html, wrapRows) {
    var doc = parser.parseFromString(wrapRows ? "<table><tbody>" + html + "</tbody></table>" : html, "text/html");
    var from = wrapRows ? doc.querySelector("tbody") : doc.body;
    while (from && from.firstChild) target.appendChild(document.adoptNode(from.firstChild));
  }

  function spacer(height) {
    var tr = document.createElement("tr");
    tr.className = "spacer";
    tr.setAttribute("aria-hidden", "true");
    var td = document.createElement("td");
    td.colSpan = colCount;
    td.style.height = height + "px";
    tr.appendChild(td);
    return tr;
  }

  function draw(force) {
    if (!tbody) return;
    var top = tbody.getBoundingClientRect().top;
    var viewTop = Math.max(0, -top);
    var height = window.innerHeight || document.documentElement.clientHeight;
    var first = Math.max(0, Math.floor(viewTop / rowH) - 10);
    var last = Math.min(view.length, Math.ceil((viewTop + height) / rowH) + 10);
    if (first > last) first = last;
    if (!force && first === drawnFirst && last === drawnLast && drawnView === view) return;
    drawnFirst = first;
    drawnLast = last;
    drawnView = view;
    var html = [];
    for (var i = first; i < last; i++) html.push(rows[view[i]][HTML]);
    var frag = document.createDocumentFragment();
    frag.appendChild(spacer(first * rowH));
    parseInto(frag, html.join(""), true);
    frag.appendChild(spacer((view.length - last) * rowH));
    tbody.textContent = "";
    tbody.appendChild(frag);
    // Learn the row height from the rows drawn, so the scroll range fits the table.
    var drawn = last - first;
    if (drawn > 0) {
      var h = (tbody.lastChild.getBoundingClientRect().top - tbody.firstChild.getBoundingClientRect().bottom) / drawn;
      if (h > 4 && Math.abs(h - rowH) > 1) {
        rowH = h;
        tbody.firstChild.firstChild.style.height = first * rowH + "px";
        tbody.lastChild.firstChild.style.height = (view.length - last) * rowH + "px";
      }
    }
  }

  var frame = 0;
  function schedule() {
    if (frame) return;
    frame = requestAnimationFrame(function () { frame = 0; draw(false); });
  }

  // ---------------------------------------------------- filter and sort

  function applyFilter() {
    var terms = tableModel.searchTerms(filter.value);
    var st = status.value || "all";
    var source = order || null;
    var n = rows.length;
    var out = [];
    for (var k = 0; k < n; k++) {
      var p = source ? source[k] : k;
      var r = rows[p];
      if (tableModel.rowMatches(r[SEARCH], r[STATUS], st, terms)) out.push(p);
    }
    view = out;
    count.textContent = tableModel.countLabel(out.length, n);
    draw(true);
  }

  function keysFor(col) {
    if (keyCache.has(col)) return keyCache.get(col);
    var keys = tableModel.columnKeys(rows.map(function (r) { return r[VALUES][col]; }), numeric[col]);
    keyCache.set(col, keys);
    return keys;
  }

  function sortBy(col, dir) {
    order = tableModel.sortedPositions(keysFor(col), dir);
    var ths = table.tHead.rows[0].cells;
    for (var h = 0; h < ths.length; h++) {
      if (h === col) ths[h].setAttribute("aria-sort", dir);
      else if (ths[h].hasAttribute("aria-sort")) ths[h].setAttribute("aria-sort", "none");
    }
    applyFilter();
  }

  // ------------------------------------------------------------ setup

  function setupControls() {
    var controls = $(".controls");
    if (!controls) {
      controls = document.createElement("div");
      controls.className = "controls";
      table.parentNode.insertBefore(controls, table);
    }
    filter = document.createElement("input");
    filter.type = "search";
    filter.id = "filter";
    filter.placeholder = "Filter runs\u2026";
    filter.setAttribute("aria-label", "Filter runs");
    filter.autocomplete = "off";
    filter.spellcheck = false;
    controls.appendChild(filter);
    status = document.createElement("select");
    status.id = "status-filter";
    status.setAttribute("aria-label", "Filter by status");
    [["all", "All statuses"], ["ok", "ok"], ["error", "error"], ["unfinished", "unfinished"]].forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o[0];
      opt.textContent = o[1];
      status.appendChild(opt);
    });
    controls.appendChild(status);
    count = document.createElement("span");
    count.className = "count";
    count.setAttribute("aria-live", "polite");
    controls.appendChild(count);
    controls.hidden = false;

    var run = function () { ready.then(applyFilter); };
    filter.addEventListener("input", run);
    filter.addEventListener("search", run);
    filter.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { filter.value = ""; run(); }
    });
    status.addEventListener("change", run);

    var ths = table.tHead.rows[0].cells;
    for (var h = 0; h < ths.length; h++) {
      numeric.push(ths[h].getAttribute("data-type") === "num");
      ths[h].tabIndex = 0;
      ths[h].title = "Sort by " + ths[h].textContent.trim();
    }
    var activate = function (e) {
      var th = e.target && e.target.closest ? e.target.closest("th[data-key]") : null;
      if (!th) return;
      if (e.type === "keydown") {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
      }
      var col = Array.prototype.indexOf.call(ths, th);
      var dir = tableModel.nextDirection(th.getAttribute("aria-sort"));
      ready.then(function () { sortBy(col, dir); });
    };
    table.tHead.addEventListener("click", activate);
    table.tHead.addEventListener("keydown", activate);
  }

  function initTable() {
    table = $("table.runs");
    if (!table || !table.tBodies.length || !window.DecompressionStream) return;
    tbody = table.tBodies[0];
    colCount = table.tHead.rows[0].cells.length;
    table.classList.add("virtual");
    more = $("#more-runs");
    setupControls();
    count.textContent = "Loading " + (more ? more.getAttribute("data-total") : "") + " runs\u2026";
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    var scripts = Array.prototype.slice.call(rowScripts);
    // The first chunk is drawn as soon as it is read; the others follow.
    loadChunk(scripts[0]).then(function () {
      view = rows.map(function (_, i) { return i; });
      if (more) more.hidden = true;
      draw(true);
      var chain = Promise.resolve();
      scripts.slice(1).forEach(function (s) { chain = chain.then(function () { return loadChunk(s); }); });
      return chain;
    }).then(function () {
      return prepare(0);
    }).then(function () {
      table.setAttribute("data-loaded", "true");
      readyResolve();
      applyFilter();
      // Rank the text columns while the page is idle, so their first sort is as quick as the next.
      numeric.forEach(function (isNumber, col) {
        if (!isNumber) setTimeout(function () { keysFor(col); }, 50);
      });
    }).catch(function (err) {
      if (window.console && console.warn) console.warn("trace-report: " + (err && err.message));
    });
  }

  // ---------------------------------------------- opening runs in place

  var bodyScripts = Array.prototype.slice.call($$("script.run-bodies"));
  var bodyCache = new Map();
  var openStem = null;
  var savedScroll = 0;

  function bodyOf(position) {
    var chunk = 0;
    for (var i = 0; i < bodyScripts.length; i++) {
      if (Number(bodyScripts[i].getAttribute("data-first")) <= position) chunk = i;
    }
    var first = Number(bodyScripts[chunk].getAttribute("data-first"));
    var cached = bodyCache.get(chunk);
    if (!cached) {
      cached = inflateText(bodyScripts[chunk].textContent).then(function (text) { return text.split("\u0000"); });
      bodyCache.set(chunk, cached);
      if (bodyCache.size > 4) bodyCache.delete(bodyCache.keys().next().value);
    }
    return cached.then(function (bodies) { return bodies[position - first]; });
  }

  function escapeHTML(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  // The run's page exactly as `trace-report render --page ID` writes it: the same shell,
  // style, script and policy as this page (templates/page.html).
  function standalonePage(title, body) {
    var csp = $("meta[http-equiv=\"Content-Security-Policy\"]").getAttribute("content");
    var css = $("head style").textContent;
    var js = $("body > script:not([type])").textContent;
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
      "<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp + "\">\n" +
      "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"generator\" content=\"trace-report\">\n" +
      "<title>" + escapeHTML(title) + "</title>\n<style>" + css + "</style>\n</head>\n" +
      "<body class=\"run-page\">\n" + body + "\n\x3cscript>" + js + "\x3c/script>\n</body>\n</html>\n";
  }

  function closeRun() {
    var box = $("#inplace-run");
    if (!box) return;
    box.parentNode.removeChild(box);
    openStem = null;
    document.body.classList.remove("run-page");
    document.body.classList.add("index-page");
    Array.prototype.forEach.call($$(".index-header, .index-main"), function (e) { e.hidden = false; });
    window.scrollTo(0, savedScroll);
    schedule();
  }

  function openRun(stem) {
    return ready.then(function () {
      var position = byStem.get(stem);
      if (position == null || stem === openStem) return;
      return bodyOf(position).then(function (body) {
        if (body == null) return;
        if (!openStem) savedScroll = window.scrollY;
        var old = $("#inplace-run");
        if (old) old.parentNode.removeChild(old);
        openStem = stem;
        var row = rows[position];
        var box = document.createElement("div");
        box.id = "inplace-run";
        box.className = "inplace-run";
        box.setAttribute("data-run-id", row[ID]);
        var bar = document.createElement("nav");
        bar.className = "inplace-bar";
        var back = document.createElement("a");
        back.href = "#";
        back.className = "inplace-back";
        back.textContent = "\u2190 All runs";
        bar.appendChild(back);
        var save = document.createElement("button");
        save.type = "button";
        save.className = "inplace-save";
        save.textContent = "Save as a page";
        save.title = "Download this run as one self-contained page";
        bar.appendChild(save);
        var content = document.createElement("div");
        content.className = "inplace-body";
        parseInto(content, body, false); // escaped by trace-report when the report was written
        box.appendChild(bar);
        box.appendChild(content);
        var crumbs = $$(".crumbs a[href=\"../index.html\"]", content);
        for (var i = 0; i < crumbs.length; i++) crumbs[i].setAttribute("href", "#");
        save.addEventListener("click", function () {
          var h1 = $(".run-name", content);
          var page = standalonePage((h1 ? h1.textContent : row[ID]) + " \u00b7 trace-report", body);
          var a = document.createElement("a");
          a.href = URL.createObjectURL(new Blob([page], { type: "text/html" }));
          a.download = stem + ".html";
          document.body.appendChild(a);
          a.click();
          document.body.removeChild(a);
          setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
        });
        Array.prototype.forEach.call($$(".index-header, .index-main"), function (e) { e.hidden = true; });
        document.body.insertBefore(box, document.body.firstChild);
        document.body.classList.remove("index-page");
        document.body.classList.add("run-page");
        window.scrollTo(0, 0);
        if (api._initRunPage) api._initRunPage();
      });
    });
  }

  function followHash() {
    var h = location.hash;
    if (h.indexOf("#run/") === 0) {
      var stem = h.slice(5);
      try { stem = decodeURIComponent(stem); } catch (e) { /* keep as written */ }
      openRun(stem);
    } else if (h === "" || h === "#") {
      closeRun();
    }
  }
  window.addEventListener("hashchange", followHash);

  // A recurring failure's runs past the first are data: drawn when its list is first opened.
  function setupFailureLists() {
    Array.prototype.forEach.call($$("script.failure-runs-data"), function (script) {
      var details = script.parentNode, list = details.querySelector("ul");
      var drawn = false;
      function fill() {
        if (drawn || !details.open) return;
        drawn = true;
        inflateText(script.textContent).then(function (text) {
          var more = list.querySelector("li.failure-more");
          if (more) list.removeChild(more);
          parseInto(list, text.split("\u0000").join(""), false);
          list.dataset.complete = "true";
        });
      }
      details.addEventListener("toggle", fill);
      fill();
    });
  }

  function init() {
    initTable();
    setupFailureLists();
    followHash();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
