/* trace-report: the viewer of a large run's page. The run is data in the page (inert
   <script type="application/octet-stream"> elements, deflated and base64-encoded): a span
   table, then chunks holding each span's details as HTML the report wrote and its search
   text. This script
   inflates them with the browser's DecompressionStream and draws only the rows in view.
   ES5 syntax with later built-ins (Promise, typed arrays, DecompressionStream); no network,
   no eval. Runs after the page script and uses its TraceReportTree (tree-model.js). */
(function () {
  "use strict";
  var treeModel = TraceReportTree; // tree-model.js, in the page script before this one

  var body = document.body;
  if (!body || !body.classList.contains("run-data")) return;
  body.classList.add("js");
  var api = window.traceReport = window.traceReport || {};

  // ------------------------------------------------------------------ data

  function bytesOf(text) {
    var bin = atob(text);
    var n = bin.length;
    var out = new Uint8Array(n);
    for (var i = 0; i < n; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function inflate(el) {
    var stream = new Blob([bytesOf(el.textContent)]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer();
  }

  // The details chunks follow this script in the page: while the page is still being read,
  // only those already read are listed (a chunk is whole once the parser has gone past it).
  var domLoaded = new Promise(function (resolve) {
    if (document.readyState !== "loading") resolve();
    else document.addEventListener("DOMContentLoaded", function () { resolve(); });
  });
  var chunkObjects = new WeakMap();
  var allChunks = null;
  function chunkList() {
    if (allChunks) return allChunks;
    var done = document.readyState !== "loading";
    var list = Array.prototype.map.call(document.querySelectorAll("script.run-details"), function (el) {
      var ch = chunkObjects.get(el);
      if (!ch) {
        ch = { el: el, first: +el.getAttribute("data-first"), count: +el.getAttribute("data-count") };
        chunkObjects.set(el, ch);
      }
      return ch;
    });
    if (done) allChunks = list;
    else if (list.length && !list[list.length - 1].el.nextSibling) list.pop();
    return list;
  }
  // The chunk holding span i, once it has been read.
  function chunkFor(i) {
    var list = chunkList();
    if (list.length) {
      var ch = chunkOf(list, i);
      if (i >= ch.first && i < ch.first + ch.count) return Promise.resolve(ch);
    }
    return domLoaded.then(function () { return chunkOf(chunkList(), i); });
  }

  // The chunk holding span i (chunks are in order and cover every span).
  function chunkOf(chunks, i) {
    var lo = 0, hi = chunks.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (chunks[mid].first <= i) lo = mid; else hi = mid - 1;
    }
    return chunks[lo];
  }

  var decoder = new TextDecoder();

  // The table follows this script in the page: wait until it has been read.
  function tableElement() {
    return new Promise(function (resolve) {
      (function check() {
        var el = document.getElementById("run-table");
        if (el && (el.nextSibling || document.readyState !== "loading")) resolve(el);
        else if (document.readyState !== "loading") resolve(null);
        else setTimeout(check, 8);
      })();
    });
  }

  function loadTable() {
    return tableElement().then(function (el) {
      if (!el) throw new Error("no run table");
      return inflate(el);
    }).then(function (buf) {
      var view = new DataView(buf);
      var len = view.getUint32(0, true);
      var head = JSON.parse(decoder.decode(new Uint8Array(buf, 4, len)));
      var n = head.spans;
      var off = (4 + len + 7) & ~7;
      var c = {};
      head.floatColumns.forEach(function (name) { c[name] = new Float64Array(buf, off, n); off += 8 * n; });
      head.intColumns.forEach(function (name) { c[name] = new Int32Array(buf, off, n); off += 4 * n; });
      head.byteColumns.forEach(function (name) { c[name] = new Uint8Array(buf, off, n); off += n; });
      return { head: head, n: n, c: c, strings: head.strings };
    });
  }

  // Until the viewer is up, the rows written in the page answer clicks with the details
  // written beside them.
  var early = null; // the span id selected that way
  var earlyTree = document.querySelector(".tree");
  function earlyClick(e) {
    var row = e.target && e.target.closest ? e.target.closest(".row") : null;
    var node = row && row.closest(".node");
    if (!node || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var id = node.getAttribute("data-span-id");
    var art = null;
    Array.prototype.some.call(document.querySelectorAll(".details .span-detail"), function (a) {
      if (a.getAttribute("data-span-id") === id) art = a;
      return !!art;
    });
    if (!art) return;
    if (row.tagName === "SUMMARY") {
      var badge = row.querySelector(".badge");
      if (badge && e.detail !== 0 && e.clientX < badge.getBoundingClientRect().left - 1) return; // native fold
    }
    e.preventDefault();
    Array.prototype.forEach.call(document.querySelectorAll(".span-detail.selected, .tree .row.selected"), function (x) {
      x.classList.remove("selected");
    });
    art.classList.add("selected");
    row.classList.add("selected");
    art.parentNode.classList.add("has-selection");
    early = id;
    try { history.replaceState(history.state, "", "#" + art.id); } catch (err) { /* opaque origins */ }
  }
  if (earlyTree) earlyTree.addEventListener("click", earlyClick);

  var ready = loadTable().then(function (t) { return start(t); });
  api.spanIds = function () {
    return ready.then(function (m) {
      var out = new Array(m.n);
      for (var i = 0; i < m.n; i++) out[i] = m.strings[m.c.id[i]];
      return out;
    });
  };
  api.ready = function () { return ready.then(function () { return true; }); };
  ready.catch(function (err) {
    body.classList.remove("viewer-ready");
    if (window.console && console.warn) console.warn("trace-report: " + (err && err.message));
  });

  // --------------------------------------------------------------- helpers

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }
  function count(v) {
    var s = String(Math.round(Math.abs(v)));
    var out = "";
    for (var i = 0; i < s.length; i++) {
      if (i > 0 && (s.length - i) % 3 === 0) out += ",";
      out += s.charAt(i);
    }
    return (v < 0 ? "-" : "") + out;
  }
  function pad2(v) { return (v < 10 ? "0" : "") + v; }
  function fixed(v, places) {
    var s = String(v);
    while (s.length <= places) s = "0" + s;
    return s.slice(0, s.length - places) + "." + s.slice(s.length - places);
  }
  // As the report formats durations (Formatting.duration).
  function duration(nanos) {
    var n = Math.max(0, Math.floor(nanos));
    if (n < 1e3) return n + " ns";
    if (n < 1e6) return Math.floor(n / 1e3) + " \u00b5s";
    if (n < 1e7) return fixed(Math.floor(n / 1e4), 2) + " ms";
    if (n < 1e8) return fixed(Math.floor(n / 1e5), 1) + " ms";
    if (n < 1e9) return Math.floor(n / 1e6) + " ms";
    if (n < 1e10) return fixed(Math.floor(n / 1e7), 2) + " s";
    if (n < 6e10) return fixed(Math.floor(n / 1e8), 1) + " s";
    var s = Math.floor(n / 1e9);
    if (s < 3600) return Math.floor(s / 60) + " m " + pad2(s % 60) + " s";
    return Math.floor(s / 3600) + " h " + pad2(Math.floor(s / 60) % 60) + " m";
  }
  function debounce(fn, ms) {
    var t = 0;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }
  function decodeHash(h) {
    var s = (h || "").replace(/^#/, "");
    try { return decodeURIComponent(s); } catch (e) { return s; }
  }
  function isTypingTarget(t) {
    if (!t || !t.tagName) return false;
    var tag = t.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || t.isContentEditable;
  }

  // ---------------------------------------------------------------- viewer

  function start(t) {
    var n = t.n, c = t.c, S = t.strings, head = t.head;
    var kinds = head.kinds;
    var FLAG_ERROR = 1, FLAG_CRITICAL = 2, FLAG_OPEN = 4, FLAG_ORDERED = 8, FLAG_REPAIRED = 16;

    var tree = document.querySelector(".tree");
    var pane = document.querySelector(".details");
    var traceHead = document.querySelector(".trace-head");
    var axis = traceHead ? traceHead.querySelector(".axis") : null;
    if (!tree || !pane) throw new Error("no tree");

    // Depth and errors in each subtree (children follow their parent).
    var depth = new Int32Array(n);
    var errBelow = new Uint8Array(n);
    for (var i = 0; i < n; i++) {
      var p = c.parent[i];
      depth[i] = p >= 0 ? depth[p] + 1 : 0;
    }
    for (var j = n - 1; j >= 0; j--) {
      if (c.flags[j] & FLAG_ERROR) errBelow[j] = 1;
      if (errBelow[j] && c.parent[j] >= 0) errBelow[c.parent[j]] = 1;
    }
    function hasKids(i) { return c.end[i] > i + 1; }
    // Open as the full page opens a large run: the top levels and the way to every error.
    var open = new Uint8Array(n);
    for (var k = 0; k < n; k++) if (hasKids(k) && (depth[k] < 2 || errBelow[k])) open[k] = 1;

    // Rows shown, in tree order (so sorted: positions are found by binary search). While
    // only the critical path shows, spans off it are left out with their subtrees.
    var vis = new Int32Array(n);
    var visCount = 0;
    var criticalOnly = false;
    function rebuild() {
      var m = 0;
      for (var i = 0; i < n;) {
        if (criticalOnly && !(c.flags[i] & FLAG_CRITICAL)) { i = c.end[i]; continue; }
        vis[m++] = i;
        i = hasKids(i) && !open[i] ? c.end[i] : i + 1;
      }
      visCount = m;
      setHeight();
    }
    function posOf(i) {
      var lo = 0, hi = visCount - 1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1, v = vis[mid];
        if (v === i) return mid;
        if (v < i) lo = mid + 1; else hi = mid - 1;
      }
      return -1;
    }
    function revealSpan(i) {
      var changed = false;
      for (var p = c.parent[i]; p >= 0; p = c.parent[p]) if (!open[p]) { open[p] = 1; changed = true; }
      if (changed) rebuild();
    }

    // --- layout: every row has the same height; the tree is as tall as all shown rows

    tree.removeEventListener("click", earlyClick);
    tree.textContent = "";
    tree.classList.remove("tree-preview");
    tree.classList.add("vtree");
    var ROW = 25;
    var probe = el("div", { class: "node vnode" });
    probe.appendChild(el("div", { class: "row" }, "x"));
    tree.appendChild(probe);
    var measured = probe.getBoundingClientRect().height;
    if (measured > 4) ROW = measured;
    tree.removeChild(probe);
    function setHeight() { tree.style.height = visCount * ROW + "px"; }
    // The preview's details and note give way to the viewer.
    var kept = null;
    Array.prototype.forEach.call(pane.querySelectorAll(".span-detail"), function (a) {
      a.remove();
      if (early !== null && a.getAttribute("data-span-id") === early) kept = a;
    });
    var detailBox = el("div", { class: "vdetail" });
    pane.appendChild(detailBox);
    if (kept) detailBox.appendChild(kept);

    tree.setAttribute("role", "tree");
    tree.setAttribute("aria-label", "Spans");
    tree.setAttribute("aria-multiselectable", "false");
    tree.tabIndex = 0;

    // --- time window of the waterfall (zoomed by the overview)

    var length = head.length || 0;
    var win0 = 0, win1 = length;
    function pct(v) { return Math.round(v * 1000) / 1000 + "%"; }

    // --- rows

    var drawn = new Map(); // span index -> element
    var selected = -1;
    var matchMask = null;
    function anchorOf(i) { return c.anchor[i] >= 0 ? S[c.anchor[i]] : "s-" + S[c.id[i]]; }

    function makeRow(i) {
      var kind = kinds[c.kind[i]] || "span";
      var f = c.flags[i];
      var node = el("div", { class: "node vnode" + (hasKids(i) ? " has-kids" : "") });
      node.setAttribute("data-span-id", S[c.id[i]]);
      node.setAttribute("data-kind", kind);
      node.setAttribute("data-depth", String(depth[i]));
      if (f & FLAG_CRITICAL) node.setAttribute("data-critical", "true");
      var row = el("div", { class: "row" + (f & FLAG_ERROR ? " has-error" : "") + (f & FLAG_REPAIRED ? " repaired" : "") });
      row.id = "vr-" + i;
      row.setAttribute("role", "treeitem");
      row.setAttribute("aria-level", String(depth[i] + 1));
      row.style.setProperty("--depth", String(depth[i]));
      var name = el("span", { class: "col-name" });
      name.appendChild(el("span", { class: "badge k-" + kind }, S[c.label[i]]));
      var link = el("a", { class: "span-link", href: "#" + anchorOf(i), title: S[c.name[i]], tabindex: "-1" }, S[c.name[i]]);
      name.appendChild(link);
      if (c.marks[i] >= 0) name.insertAdjacentHTML("beforeend", S[c.marks[i]]); // escaped by the report
      row.appendChild(name);
      var dur = el("span", { class: "col-dur" });
      if (c.duration[i] >= 0) dur.innerHTML = S[c.duration[i]]; // escaped by the report
      row.appendChild(dur);
      var tok = el("span", { class: "col-tok" }, c.tokens[i] > 0 ? count(c.tokens[i]) : "");
      if (c.tokens[i] !== c.tokensSelf[i]) {
        tok.title = count(c.tokensSelf[i]) + " self, " + count(c.tokens[i]) + " with descendants";
      }
      row.appendChild(tok);
      var wf = el("span", { class: "col-wf" });
      var bar = el("span", { class: "bar k-" + kind + (f & FLAG_ERROR ? " bar-error" : "") });
      if (f & FLAG_ORDERED) {
        bar.classList.add("bar-order");
        bar.title = "time not recorded: drawn in order";
        bar.style.left = pct(i / n * 100);
        bar.style.width = pct(100 / n);
      } else {
        if (f & FLAG_OPEN) bar.classList.add("bar-open");
        placeBar(bar, i);
      }
      wf.appendChild(bar);
      row.appendChild(wf);
      node.appendChild(row);
      updateRow(node, i);
      return node;
    }
    function placeBar(bar, i) {
      var span = Math.max(1, win1 - win0);
      var s = c.start[i], w = c.width[i];
      var left = (s - win0) / span * 100, right = (s + w - win0) / span * 100;
      bar.hidden = right < 0 || left > 100;
      left = Math.max(-1, left);
      right = Math.min(101, right);
      bar.style.left = pct(left);
      bar.style.width = pct(Math.max(0, right - left));
    }
    function updateRow(node, i) {
      var row = node.firstChild;
      var isOpen = hasKids(i) && open[i];
      node.classList.toggle("open", !!isOpen);
      if (hasKids(i)) row.setAttribute("aria-expanded", isOpen ? "true" : "false");
      var sel = i === selected;
      row.classList.toggle("selected", sel);
      if (sel) row.setAttribute("aria-selected", "true"); else row.removeAttribute("aria-selected");
      var hit = !!(matchMask && matchMask[i]);
      if (row.classList.contains("match") !== hit) row.classList.toggle("match", hit);
    }

    var OVERSCAN = 12;
    function draw() {
      var rect = tree.getBoundingClientRect();
      var viewH = window.innerHeight || document.documentElement.clientHeight;
      var top = Math.max(0, -rect.top);
      var first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
      var last = Math.min(visCount - 1, Math.ceil((top + viewH) / ROW) + OVERSCAN);
      var want = new Set();
      for (var p = first; p <= last; p++) want.add(vis[p]);
      if (selected >= 0 && posOf(selected) >= 0) want.add(selected); // the active row stays
      drawn.forEach(function (node, i) {
        if (!want.has(i)) { node.remove(); drawn.delete(i); }
      });
      var frag = document.createDocumentFragment();
      want.forEach(function (i) {
        var node = drawn.get(i);
        if (!node) {
          node = makeRow(i);
          drawn.set(i, node);
          frag.appendChild(node);
        } else {
          updateRow(node, i);
        }
        node.style.top = posOf(i) * ROW + "px";
      });
      tree.appendChild(frag);
    }
    function redrawAll() {
      drawn.forEach(function (node) { node.remove(); });
      drawn.clear();
      draw();
    }
    var frame = 0;
    function schedule() {
      if (frame) return;
      frame = requestAnimationFrame(function () { frame = 0; draw(); });
    }
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);

    // --- scrolling a row into view below the sticky head

    function ensureVisible(i, center) {
      var p = posOf(i);
      if (p < 0) return;
      var rect = tree.getBoundingClientRect();
      var rowTop = rect.top + p * ROW, rowBottom = rowTop + ROW;
      var top = traceHead ? Math.max(0, traceHead.getBoundingClientRect().bottom) : 0;
      var bottom = window.innerHeight || document.documentElement.clientHeight;
      var pr = pane.getBoundingClientRect();
      var rr = tree.getBoundingClientRect();
      if (pr.left < rr.right && pr.right > rr.left && pr.top > top && pr.top < bottom) bottom = pr.top;
      var dy = 0;
      if (center && (rowTop < top || rowBottom > bottom)) dy = (rowTop + rowBottom) / 2 - (top + bottom) / 2;
      else if (rowTop < top) dy = rowTop - top;
      else if (rowBottom > bottom) dy = rowBottom - bottom;
      if (dy) window.scrollBy(0, dy);
    }

    // --- details: each span's HTML, inflated a chunk at a time

    // A chunk inflates to, for each of its spans, the details HTML and the search text,
    // separated by NUL.
    var cache = new Map(); // chunk -> parts, the most recently used last
    function chunkParts(ch) {
      var hit = cache.get(ch);
      if (hit) {
        cache.delete(ch);
        cache.set(ch, hit);
        return Promise.resolve(hit);
      }
      if (!ch.pending) {
        ch.pending = inflate(ch.el).then(function (buf) {
          var parts = decoder.decode(buf).split("\u0000");
          ch.pending = null;
          cache.set(ch, parts);
          if (cache.size > 16) cache.delete(cache.keys().next().value);
          return parts;
        });
      }
      return ch.pending;
    }
    function fragment(i) {
      return chunkFor(i).then(function (ch) {
        return chunkParts(ch).then(function (parts) { return parts[2 * (i - ch.first)]; });
      });
    }

    var shownDetail = -1;
    function showDetail(i, inner) {
      return fragment(i).then(function (html) {
        if (selected !== i) return;
        if (shownDetail !== i) {
          detailBox.innerHTML = html; // the report's own escaped HTML for this span
          shownDetail = i;
          var art = detailBox.firstElementChild;
          if (art) art.classList.add("selected");
          pane.classList.add("has-selection");
          if (api.enhanceTextFields) api.enhanceTextFields();
          if (!inner) pane.scrollTop = 0;
        }
        if (inner) {
          var target = document.getElementById(inner);
          if (target) pane.scrollTop += target.getBoundingClientRect().top - pane.getBoundingClientRect().top - 8;
        }
      });
    }

    function setHash(i) {
      var h = "#" + anchorOf(i);
      if (location.hash === h) return;
      try { history.replaceState(history.state, "", h); } catch (e) { /* opaque origins */ }
    }

    var hashTimer = 0;
    function select(i, opts) {
      opts = opts || {};
      if (i < 0 || i >= n) return Promise.resolve();
      var prev = selected;
      selected = i;
      if (opts.reveal && criticalOnly && !(c.flags[i] & FLAG_CRITICAL)) setCriticalOnly(false);
      if (opts.reveal) revealSpan(i);
      if (prev >= 0 && drawn.has(prev)) updateRow(drawn.get(prev), prev);
      if (opts.scroll) ensureVisible(i, opts.scroll === "center");
      draw();
      tree.setAttribute("aria-activedescendant", "vr-" + i);
      clearTimeout(hashTimer);
      if (opts.updateHash !== false) {
        if (opts.defer) hashTimer = setTimeout(function () { if (selected === i) setHash(i); }, 250);
        else setHash(i);
      }
      return showDetail(i, opts.inner);
    }

    // --- deep links: #s-… names a span, any other id an element inside a span's details

    var anchorIndex = null;
    var innerIndex = null;
    function spanForId(id) {
      if (!anchorIndex) {
        anchorIndex = new Map();
        for (var i = 0; i < n; i++) anchorIndex.set(anchorOf(i), i);
        innerIndex = new Map();
        head.ids.forEach(function (pair) { if (!innerIndex.has(pair[0])) innerIndex.set(pair[0], pair[1]); });
      }
      if (anchorIndex.has(id)) return { span: anchorIndex.get(id), inner: null };
      if (innerIndex.has(id)) return { span: innerIndex.get(id), inner: id };
      return null;
    }
    function selectFromHash() {
      var id = decodeHash(location.hash);
      if (!id) return false;
      var hit = spanForId(id);
      if (!hit) return false;
      select(hit.span, { reveal: true, scroll: "center", updateHash: false, inner: hit.inner });
      return true;
    }
    window.addEventListener("hashchange", selectFromHash);
    // Links inside the details and the header (first error, tool calls, earlier messages).
    document.addEventListener("click", function (e) {
      var a = e.target && e.target.closest ? e.target.closest("a[href^='#']") : null;
      if (!a || tree.contains(a) || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
      var id = decodeHash(a.getAttribute("href"));
      if (document.getElementById(id) && !pane.contains(document.getElementById(id)) && id !== "") return;
      var hit = spanForId(id);
      if (!hit) return;
      e.preventDefault();
      try { history.pushState(history.state, "", "#" + id); } catch (err) { /* opaque origins */ }
      select(hit.span, { reveal: true, scroll: "center", updateHash: false, inner: hit.inner });
    });

    // --- expand and collapse

    function setOpen(i, value) {
      if (!hasKids(i) || !!open[i] === value) return;
      open[i] = value ? 1 : 0;
      rebuild();
      if (!value && selected > i && selected < c.end[i]) select(i, { keepPane: true });
      else draw();
    }
    function setAll(value) {
      for (var i = 0; i < n; i++) open[i] = value && hasKids(i) ? 1 : 0;
      rebuild();
      if (!value && selected >= 0 && posOf(selected) < 0) {
        var top = selected;
        while (c.parent[top] >= 0) top = c.parent[top];
        select(top);
      } else {
        draw();
      }
    }

    // --- clicks

    tree.addEventListener("mousedown", function (e) {
      if (e.button === 0 && e.target.closest && e.target.closest(".row") && document.activeElement !== tree) e.preventDefault();
    });
    tree.addEventListener("click", function (e) {
      var t = e.target;
      if (!t || !t.closest) return;
      var node = t.closest(".vnode");
      if (!node) return;
      var i = +node.firstChild.id.slice(3);
      var link = t.closest("a");
      if (link && (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0)) return;
      if (link && !link.classList.contains("span-link")) return;
      e.preventDefault();
      var badge = node.querySelector(".col-name .badge");
      if (hasKids(i) && badge && e.detail !== 0 && e.clientX < badge.getBoundingClientRect().left - 1) {
        setOpen(i, !open[i]);
        return;
      }
      select(i);
    });

    // --- keyboard: the tree is one Tab stop; the active row is aria-activedescendant

    function visAt(p) { return p >= 0 && p < visCount ? vis[p] : -1; }
    document.addEventListener("keydown", function (e) {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (isTypingTarget(e.target)) return;
      var k = e.key;
      var inTree = e.target === tree || tree.contains(e.target);
      var cur = selected >= 0 && posOf(selected) >= 0 ? selected : -1;
      var target = -1;
      if (inTree && (k === "Home" || k === "End")) {
        target = k === "Home" ? visAt(0) : visAt(visCount - 1);
      } else if (inTree && (k === "PageDown" || k === "PageUp")) {
        var page = Math.max(1, Math.floor((window.innerHeight || 600) / ROW) - 2);
        var p0 = cur >= 0 ? posOf(cur) : 0;
        target = visAt(Math.max(0, Math.min(visCount - 1, p0 + (k === "PageDown" ? page : -page))));
      } else if (k === "ArrowDown") {
        target = cur >= 0 ? visAt(posOf(cur) + 1) : visAt(0);
      } else if (k === "ArrowUp") {
        target = cur >= 0 ? visAt(posOf(cur) - 1) : visAt(0);
      } else if (k === "ArrowRight" && cur >= 0) {
        if (hasKids(cur) && !open[cur]) { e.preventDefault(); setOpen(cur, true); return; }
        if (hasKids(cur) && c.parent[visAt(posOf(cur) + 1)] === cur) target = visAt(posOf(cur) + 1);
      } else if (k === "ArrowLeft" && cur >= 0) {
        if (hasKids(cur) && open[cur]) { e.preventDefault(); setOpen(cur, false); return; }
        target = c.parent[cur];
      } else if (inTree && (k === "Enter" || k === " ") && cur >= 0) {
        e.preventDefault();
        if (hasKids(cur)) setOpen(cur, !open[cur]);
        return;
      } else if (inTree && k.length === 1 && k !== " ") {
        target = typeAhead(k.toLowerCase(), cur);
        if (target < 0) return;
      } else {
        return;
      }
      e.preventDefault();
      if (target >= 0) select(target, { scroll: "nearest", defer: true });
    });
    // Type-ahead: letters typed in quick succession select the next shown span whose name
    // starts with them (TraceReportTree.typeAheadMatch over the shown rows; a row is its
    // span index + 1, so that none is 0).
    var typed = "";
    var typedAt = 0;
    var shownRows = {
      nextVisible: function (r) { var p = posOf(r - 1); return p >= 0 && p + 1 < visCount ? vis[p + 1] + 1 : null; },
      firstVisible: function () { return visCount ? vis[0] + 1 : null; }
    };
    function nameOfRow(r) { return S[c.name[r - 1]].toLowerCase(); }
    function typeAhead(ch, cur) {
      var now = Date.now();
      typed = treeModel.typedText(typed, typedAt, ch, now);
      typedAt = now;
      var start = cur >= 0 ? cur + 1 : shownRows.firstVisible();
      var hit = treeModel.typeAheadMatch(shownRows, start, typed, nameOfRow);
      return hit ? hit - 1 : -1;
    }

    tree.addEventListener("focus", function () {
      if (selected < 0 && visCount) select(vis[0], { updateHash: false });
    });

    // --- toolbar: expand/collapse all, search

    var tools = el("div", { class: "trace-tools", role: "toolbar", "aria-label": "Tree controls" });
    var expandBtn = el("button", { type: "button", class: "expand-all" }, "Expand all");
    var collapseBtn = el("button", { type: "button", class: "collapse-all" }, "Collapse all");
    var searchBox = el("input", {
      type: "search", class: "span-filter span-search", id: "span-filter",
      placeholder: "Search names, models, errors, inputs and outputs\u2026",
      "aria-label": "Search the run", autocomplete: "off", spellcheck: "false"
    });
    var matchCount = el("span", { class: "match-count", "aria-live": "polite" });
    var results = el("ol", { class: "search-results", hidden: "" });
    tools.appendChild(expandBtn);
    tools.appendChild(collapseBtn);
    var criticalBtn = null;
    for (var ci = 0; ci < n && !criticalBtn; ci++) {
      if (c.flags[ci] & FLAG_CRITICAL) {
        criticalBtn = el("button", { type: "button", class: "critical-only-toggle", "aria-pressed": "false",
          title: "Show only the spans that determined the run's end time" }, "Critical path only");
        tools.appendChild(criticalBtn);
      }
    }
    tools.appendChild(searchBox);
    tools.appendChild(matchCount);
    tools.appendChild(results);
    if (traceHead) traceHead.appendChild(tools);
    expandBtn.addEventListener("click", function () { setAll(true); });
    collapseBtn.addEventListener("click", function () { setAll(false); });

    // The critical-path toggle: on, only the spans on the path show, every one of them open
    // (the path runs down from the root, so each one's parent is on it too) and the selection
    // moves onto the path; off, the whole tree shows again.
    function setCriticalOnly(on) {
      if (!criticalBtn || criticalOnly === on) return;
      criticalOnly = on;
      criticalBtn.setAttribute("aria-pressed", on ? "true" : "false");
      tree.classList.toggle("critical-only", on);
      if (on) for (var i = 0; i < n; i++) if ((c.flags[i] & FLAG_CRITICAL) && hasKids(i)) open[i] = 1;
      rebuild();
    }
    if (criticalBtn) criticalBtn.addEventListener("click", function () {
      var on = !criticalOnly;
      setCriticalOnly(on);
      if (on && selected >= 0 && posOf(selected) < 0 && visCount) {
        select(vis[0], { scroll: "nearest" });
      } else {
        if (selected >= 0) ensureVisible(selected, true);
        draw();
      }
    });

    // Search runs over the chunks' search texts a chunk at a time, yielding between
    // chunks; the lowercased texts are kept up to a budget, so a second search is faster.
    var lowered = new Map();
    var loweredChars = 0;
    function corpus(ch) {
      var hit = lowered.get(ch);
      if (hit) return Promise.resolve(hit);
      return chunkParts(ch).then(function (parts) {
        var texts = new Array(ch.count);
        var chars = 0;
        for (var k = 0; k < ch.count; k++) {
          texts[k] = (parts[2 * k + 1] || "").toLowerCase();
          chars += texts[k].length;
        }
        if (loweredChars + chars < 64e6) {
          lowered.set(ch, texts);
          loweredChars += chars;
        }
        return texts;
      });
    }
    var matches = [];
    var matchPos = -1;
    var searchToken = 0;
    var searching = false;
    var searchQuery = "";
    var done = 0;
    function runSearch() {
      var q = treeModel.filterQuery(searchBox.value);
      var token = ++searchToken;
      searchQuery = q;
      matches = [];
      matchPos = -1;
      matchMask = q ? new Uint8Array(n) : null;
      results.textContent = "";
      results.hidden = true;
      tree.classList.toggle("filtering", q !== "");
      if (!q) {
        matchCount.textContent = "";
        searching = false;
        draw();
        return Promise.resolve();
      }
      searching = true;
      done = 0;
      var k = 0;
      var searchChunks = null;
      var sliceStart = performance.now();
      function step() {
        if (token !== searchToken) return null;
        if (!searchChunks) {
          return domLoaded.then(function () { searchChunks = chunkList(); return step(); });
        }
        if (k >= searchChunks.length) {
          searching = false;
          report();
          draw();
          return null;
        }
        var ch = searchChunks[k++];
        if (k < searchChunks.length) chunkParts(searchChunks[k]); // inflate the next one meanwhile
        return corpus(ch).then(function (texts) {
          if (token !== searchToken) return null;
          for (var s = 0; s < texts.length; s++) {
            if (texts[s].indexOf(q) < 0) continue;
            var idx = ch.first + s;
            matchMask[idx] = 1;
            matches.push(idx);
            if (results.childElementCount < 200) addResult(idx);
          }
          done = ch.first + ch.count;
          // give the page a turn (input, drawing, progress) every few dozen milliseconds
          if (performance.now() - sliceStart < 40) return step();
          report();
          return new Promise(function (r) { setTimeout(r, 0); }).then(function () {
            sliceStart = performance.now();
            return step();
          });
        });
      }
      matchCount.textContent = "searching\u2026";
      return Promise.resolve().then(step);
    }
    function report() {
      var note = searching ? " \u00b7 searching " + Math.round(progress() * 100) + "%" : "";
      matchCount.textContent = matches.length + (matches.length === 1 ? " match" : " matches") +
        (matches.length && !searching ? " \u00b7 Enter for next" : "") + note;
      if (matches.length) results.hidden = false;
      schedule();
    }
    function progress() { return n ? done / n : 1; }
    function addResult(i) {
      var li = el("li", { "data-index": String(i) });
      li.appendChild(el("span", { class: "badge k-" + (kinds[c.kind[i]] || "span") }, S[c.label[i]]));
      li.appendChild(el("a", { href: "#" + anchorOf(i), class: "result-link" }, S[c.name[i]]));
      results.appendChild(li);
    }
    results.addEventListener("click", function (e) {
      var li = e.target && e.target.closest ? e.target.closest("li[data-index]") : null;
      if (!li) return;
      e.preventDefault();
      e.stopPropagation();
      var i = +li.getAttribute("data-index");
      matchPos = matches.indexOf(i);
      select(i, { reveal: true, scroll: "center" });
    });
    var pendingSearch = null;
    searchBox.addEventListener("input", debounce(function () { pendingSearch = runSearch(); }, 200));
    searchBox.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        searchBox.value = "";
        pendingSearch = runSearch();
        return;
      }
      if (e.key !== "Enter") return;
      e.preventDefault();
      var q = treeModel.filterQuery(searchBox.value);
      var go = function () {
        if (!matches.length) return;
        matchPos = treeModel.stepMatch(matchPos, matches.length, e.shiftKey);
        matchCount.textContent = (matchPos + 1) + " of " + matches.length + (matches.length === 1 ? " match" : " matches");
        select(matches[matchPos], { reveal: true, scroll: "center" });
      };
      if (q !== searchQuery) {
        pendingSearch = runSearch();
        // step to the first match as soon as one is found
        var wait = function () {
          if (matches.length || !searching) { go(); return; }
          setTimeout(wait, 30);
        };
        wait();
      } else {
        go();
      }
    });

    // --- overview: the whole run on a canvas; drag to zoom the waterfall into a range

    var overview = null;
    if (length > 0 && traceHead) overview = makeOverview();
    function makeOverview() {
      var box = el("div", { class: "overview", title: "The whole run. Drag to zoom into a time range; double-click to show all." });
      var canvas = el("canvas", { class: "overview-canvas", "aria-hidden": "true" });
      var range = el("div", { class: "overview-range", hidden: "" });
      var reset = el("button", { type: "button", class: "overview-reset", hidden: "" }, "Show whole run");
      var label = el("span", { class: "overview-label" }, "Overview \u00b7 drag to zoom");
      box.appendChild(canvas);
      box.appendChild(range);
      box.appendChild(label);
      box.appendChild(reset);
      traceHead.parentNode.insertBefore(box, traceHead);
      function paint() {
        var w = Math.max(50, box.clientWidth), h = 56;
        var dpr = 1;
        canvas.width = w * dpr;
        canvas.height = h * dpr;
        var ctx = canvas.getContext("2d");
        var img = ctx.createImageData(canvas.width, canvas.height);
        var data = img.data;
        var style = getComputedStyle(document.documentElement);
        var colors = kinds.map(function (k) { return hex(style.getPropertyValue("--k-" + k)); });
        var errColor = hex(style.getPropertyValue("--error")) || [207, 34, 46];
        var W = canvas.width, H = canvas.height;
        for (var i = 0; i < n; i++) {
          if (c.flags[i] & FLAG_ORDERED) continue;
          var y = Math.floor(i / n * H);
          var x0 = Math.floor(c.start[i] / length * W);
          var x1 = Math.max(x0 + 1, Math.ceil((c.start[i] + c.width[i]) / length * W));
          var col = c.flags[i] & FLAG_ERROR ? errColor : colors[c.kind[i]] || [128, 128, 128];
          if (x1 > W) x1 = W;
          for (var x = Math.max(0, x0); x < x1; x++) {
            var o = (y * W + x) * 4;
            data[o] = col[0]; data[o + 1] = col[1]; data[o + 2] = col[2]; data[o + 3] = 255;
          }
        }
        ctx.putImageData(img, 0, 0);
        showRange();
      }
      function hex(v) {
        var m = /#([0-9a-f]{6})/i.exec(v || "");
        if (!m) return null;
        var x = parseInt(m[1], 16);
        return [x >> 16 & 255, x >> 8 & 255, x & 255];
      }
      function showRange() {
        var zoomed = win0 > 0 || win1 < length;
        range.hidden = !zoomed;
        reset.hidden = !zoomed;
        if (zoomed) {
          range.style.left = pct(win0 / length * 100);
          range.style.width = pct((win1 - win0) / length * 100);
        }
      }
      var dragFrom = -1;
      function at(e) {
        var r = canvas.getBoundingClientRect();
        return Math.max(0, Math.min(1, (e.clientX - r.left) / Math.max(1, r.width))) * length;
      }
      canvas.addEventListener("mousedown", function (e) {
        if (e.button !== 0) return;
        e.preventDefault();
        dragFrom = at(e);
      });
      window.addEventListener("mousemove", function (e) {
        if (dragFrom < 0) return;
        var t = at(e);
        range.hidden = false;
        range.style.left = pct(Math.min(dragFrom, t) / length * 100);
        range.style.width = pct(Math.abs(t - dragFrom) / length * 100);
      });
      window.addEventListener("mouseup", function (e) {
        if (dragFrom < 0) return;
        var t = at(e);
        var a = Math.min(dragFrom, t), b = Math.max(dragFrom, t);
        dragFrom = -1;
        if (b - a < length / 2000) { showRange(); return; }
        zoom(a, b);
      });
      canvas.addEventListener("dblclick", function () { zoom(0, length); });
      reset.addEventListener("click", function () { zoom(0, length); });
      if (window.matchMedia) {
        var mq = window.matchMedia("(prefers-color-scheme: dark)");
        if (mq.addEventListener) mq.addEventListener("change", paint);
      }
      window.addEventListener("resize", debounce(paint, 150));
      paint();
      return { paint: paint, showRange: showRange };
    }
    function zoom(a, b) {
      win0 = Math.max(0, a);
      win1 = Math.min(length, Math.max(b, a + 1));
      if (overview) overview.showRange();
      ticks();
      redrawAll();
      tree.setAttribute("data-window", Math.round(win0) + "-" + Math.round(win1));
    }
    api.zoom = function (a, b) { zoom(a, b); };
    function ticks() {
      if (!axis) return;
      Array.prototype.forEach.call(axis.querySelectorAll(".tick"), function (t) { t.remove(); });
      var span = Math.max(1, win1 - win0);
      var step = 1;
      var steps = [1, 2, 5];
      for (var e = 0; ; e++) {
        var s = steps[e % 3] * Math.pow(10, Math.floor(e / 3));
        if (span / s <= 5) { step = s; break; }
      }
      var frag = document.createDocumentFragment();
      for (var v = Math.ceil(win0 / step) * step; v <= win1; v += step) {
        var tk = el("span", { class: "tick" }, v === 0 ? "0" : duration(v));
        tk.style.left = pct((v - win0) / span * 100);
        frag.appendChild(tk);
      }
      axis.insertBefore(frag, axis.firstChild);
    }

    // --- first draw

    rebuild();
    body.classList.add("viewer-ready");
    draw();
    var earlyIndex = -1;
    if (early !== null) {
      for (var e = 0; e < n && earlyIndex < 0; e++) if (S[c.id[e]] === early) earlyIndex = e;
    }
    if (earlyIndex >= 0 && kept) {
      shownDetail = earlyIndex;
      select(earlyIndex, { updateHash: false });
    } else if (!selectFromHash()) {
      tree.setAttribute("aria-activedescendant", "vr-" + vis[0]);
    }
    return { n: n, c: c, strings: S };
  }
})();
