/* trace-report: the run page's span tree and details pane: selection, keyboard navigation
   (an ARIA tree), folding of flat rows, the critical-path toggle and the name filter. The
   walking and matching are TraceReportTree's (tree-model.js); this file applies them to the
   page's elements. ES5, no dependencies; report.js calls TraceReportRunPage.init. */
var TraceReportRunPage = (function () {
  "use strict";

  var dom = TraceReportDOM;
  var model = TraceReportTree;
  var $ = dom.$, $$ = dom.$$, el = dom.el, debounce = dom.debounce;
  var decodeHash = dom.decodeHash, isTypingTarget = dom.isTypingTarget;
  function initRunPage() {
    var tree = $(".tree");
    var pane = $(".details");
    var head = $(".trace-head");
    if (!tree) return;

    var selectedNode = null;
    var criticalOnly = false;
    var selectedArticle = null;
    var nodeIndex = null; // span id -> node, built lazily

    function nodeOf(t) {
      return t && t.closest ? t.closest(".node") : null;
    }
    function rowOf(node) {
      if (!node) return null;
      var r = node.firstElementChild;
      return r && r.classList.contains("row") ? r : node.querySelector(".row");
    }
    function depthOf(node) {
      var d = parseInt(node.getAttribute("data-depth"), 10);
      return isNaN(d) ? 0 : d;
    }
    function isNode(e) {
      return !!(e && e.classList && e.classList.contains("node"));
    }
    function isFlatHidden(node) {
      // hidden flat rows, and rows off the critical path while only the path shows
      return node.hidden || (criticalOnly && !node.hasAttribute("data-critical"));
    }
    function isCollapsedFlat(node) {
      return node.classList.contains("flat") && node.classList.contains("collapsed");
    }

    // The tree and its flat rows as TraceReportTree sees them.
    var walk = model.walker({
      root: tree,
      first: function (e) { return e.firstElementChild; },
      last: function (e) { return e.lastElementChild; },
      next: function (e) { return e.nextElementSibling; },
      prev: function (e) { return e.previousElementSibling; },
      parent: function (e) { return e.parentElement; },
      isNode: isNode,
      isHidden: isFlatHidden,
      isFolder: function (e) { return e.tagName === "DETAILS"; },
      isOpen: function (e) { return e.open; }
    });
    var flat = {
      next: function (e) { return e.nextElementSibling; },
      prev: function (e) { return e.previousElementSibling; },
      isNode: isNode,
      depth: depthOf,
      isCollapsed: isCollapsedFlat
    };
    var nextVisible = walk.nextVisible, prevVisible = walk.prevVisible;
    var firstVisible = walk.firstVisible, lastVisible = walk.lastVisible;
    var parentNodeOf = walk.parentNodeOf, isShown = walk.isShown;

    function nodeBySpanId(id) {
      if (!nodeIndex) {
        nodeIndex = new Map();
        var all = $$(".node[data-span-id]", tree);
        for (var i = 0; i < all.length; i++) {
          var sid = all[i].getAttribute("data-span-id");
          if (!nodeIndex.has(sid)) nodeIndex.set(sid, all[i]);
        }
      }
      return nodeIndex.get(id) || null;
    }

    function articleOf(node) {
      var link = node && rowOf(node) ? rowOf(node).querySelector(".span-link") : null;
      var art = null;
      if (link) {
        var href = link.getAttribute("href") || "";
        if (href.charAt(0) === "#") art = document.getElementById(decodeHash(href));
      }
      if (!art && node) art = document.getElementById("s-" + node.getAttribute("data-span-id"));
      return art;
    }

    // --- placeholder heights for subtrees that skip rendering while off screen:
    // the number of rows each open subtree shows, children before parents (O(n)).
    // Recomputed after "Expand all" / "Collapse all", which change subtrees that
    // may never have been on screen.

    function computeRowCounts() {
      var all = $$("details.node", tree);
      var rows = new Map();
      for (var i = all.length - 1; i >= 0; i--) {
        var d = all[i];
        var cnt = 1;
        for (var ch = d.firstElementChild; ch; ch = ch.nextElementSibling) {
          if (ch.tagName === "DETAILS") cnt += ch.open ? rows.get(ch) || 1 : 1;
          else if (isNode(ch) && !ch.hidden) cnt += 1;
        }
        rows.set(d, cnt);
        var v = String(cnt);
        if (d.style.getPropertyValue("--rows") !== v) d.style.setProperty("--rows", v);
      }
    }
    computeRowCounts();

    // --- flat (very deep) nodes: collapse by hiding following deeper siblings.
    // A flat node with children carries class "parent"; older pages without it
    // get "has-kids" from one pass over the flat nodes.

    function hasKids(node) {
      if (node.classList.contains("parent") || node.classList.contains("has-kids")) return true;
      return model.flatHasChildren(node, flat);
    }
    if (!tree.querySelector(".node.flat.parent")) {
      var flatNodes = $$(".node.flat", tree);
      for (var fi = 0; fi < flatNodes.length; fi++) {
        if (hasKids(flatNodes[fi])) flatNodes[fi].classList.add("has-kids");
      }
    }

    function setFlatCollapsed(node, collapsed) {
      if (!hasKids(node)) return;
      node.classList.toggle("collapsed", collapsed);
      var changes = model.flatFoldChanges(node, collapsed, flat);
      for (var i = 0; i < changes.length; i++) changes[i][0].hidden = changes[i][1];
      var r = rowOf(node);
      if (r) r.setAttribute("aria-expanded", collapsed ? "false" : "true");
    }

    // Make a node visible: open ancestor <details>, expand collapsed flat ancestors.
    function reveal(node) {
      for (var p = node.parentElement; p && p !== tree; p = p.parentElement) {
        if (p.tagName === "DETAILS" && !p.open) p.open = true;
      }
      if (node.hidden) {
        var chain = model.flatFoldedAncestors(node, flat);
        for (var i = 0; i < chain.length; i++) setFlatCollapsed(chain[i], false);
      }
    }

    // --- selection

    // Scroll the page so `row` is visible below the sticky header (and above the
    // docked details pane on narrow screens). One layout read, no scrollIntoView:
    // it is slow with thousands of nested rows.
    function ensureVisible(row, center) {
      var r = row.getBoundingClientRect();
      if (!r.height) return;
      var top = head ? Math.max(0, head.getBoundingClientRect().bottom) : 0;
      var bottom = window.innerHeight || document.documentElement.clientHeight;
      if (pane) {
        var p = pane.getBoundingClientRect();
        if (p.left < r.right && p.right > r.left && p.top > top && p.top < bottom) bottom = p.top;
      }
      var dy = 0;
      if (center && (r.top < top || r.bottom > bottom)) dy = (r.top + r.bottom) / 2 - (top + bottom) / 2;
      else if (r.top < top) dy = r.top - top;
      else if (r.bottom > bottom) dy = r.bottom - bottom;
      if (dy) window.scrollBy(0, dy);
    }

    var hashTimer = 0;
    function setHash(art) {
      var h = "#" + art.id;
      if (location.hash === h) return;
      try { history.replaceState(history.state, "", h); } catch (e) { /* opaque origins */ }
    }

    // Show the details of `node` and scroll its row into view. All class changes
    // first, then one layout read, then the scroll writes.
    function showDetails(node, opts) {
      var art = articleOf(node);
      var resetPane = pane && !opts.keepPaneScroll && art !== selectedArticle;
      if (selectedArticle && selectedArticle !== art) selectedArticle.classList.remove("selected");
      selectedArticle = art;
      if (art) art.classList.add("selected");
      if (pane && pane.classList.contains("has-selection") !== !!art) pane.classList.toggle("has-selection", !!art);
      clearTimeout(hashTimer);
      if (art && opts.updateHash !== false) {
        // while keys repeat, the address follows once they stop
        if (opts.defer) hashTimer = setTimeout(function () { if (selectedArticle === art) setHash(art); }, 250);
        else setHash(art);
      }
      var row = rowOf(node);
      if (opts.scroll && row) ensureVisible(row, opts.scroll === "center");
      if (resetPane && pane.scrollTop !== 0) pane.scrollTop = 0;
    }

    // Work deferred to the next frame while keys repeat: only the last
    // selection of a burst shows its details and scrolls.
    var pending = null;
    function flushPending() {
      var p = pending;
      pending = null;
      if (p && p.node === selectedNode) {
        focusRowNow();
        showDetails(p.node, p.opts);
      }
    }

    function select(node, opts) {
      opts = opts || {};
      if (!node) return;
      var row = rowOf(node);
      if (selectedNode && selectedNode !== node) {
        var oldRow = rowOf(selectedNode);
        if (oldRow) oldRow.classList.remove("selected");
      }
      selectedNode = node;
      if (row) row.classList.add("selected");
      ariaSelect(node, !!opts.defer);
      if (opts.reveal) reveal(node);
      if (opts.defer) {
        if (!pending) (window.requestAnimationFrame || setTimeout)(flushPending);
        pending = { node: node, opts: opts };
        return;
      }
      pending = null;
      showDetails(node, opts);
    }

    // The address names a span (#s-ID) or something inside a span's details (a
    // message, #m-N): select that span and bring the target into view.
    function selectFromHash() {
      var id = decodeHash(location.hash);
      if (!id) return false;
      var target = document.getElementById(id);
      var art = target && target.closest ? target.closest(".span-detail") : null;
      var node = null;
      if (art) node = nodeBySpanId(art.getAttribute("data-span-id"));
      else if (!target && id.indexOf("s-") === 0) node = nodeBySpanId(id.slice(2));
      if (!node) return false;
      var inner = art && target !== art;
      select(node, { reveal: true, scroll: "center", updateHash: false, keepPaneScroll: inner });
      if (inner && pane) {
        var dy = target.getBoundingClientRect().top - pane.getBoundingClientRect().top - 8;
        pane.scrollTop += dy;
      }
      return true;
    }

    // --- ARIA tree: the tree is one Tab stop; arrow keys, Home/End and type-ahead move
    // inside it (roving tabindex). Roles are added here, with the keyboard support they
    // promise: without the script the tree is a set of native disclosures.

    var focusRow = null; // the row with tabindex 0

    function ariaRow(row, node) {
      if (row.getAttribute("role") === "treeitem") return;
      row.setAttribute("role", "treeitem");
      row.setAttribute("aria-level", String(depthOf(node) + 1));
      row.tabIndex = -1;
      if (node.tagName === "DETAILS") row.setAttribute("aria-expanded", node.open ? "true" : "false");
      else if (node.classList.contains("flat") && hasKids(node)) {
        row.setAttribute("aria-expanded", node.classList.contains("collapsed") ? "false" : "true");
      }
      var link = row.querySelector(".span-link");
      if (link) link.tabIndex = -1;
    }
    // Rows get their roles in slices after the page is set up, so a 20,000-span page
    // does not wait for them (a selected or focused row gets its role at once).
    function setupAria() {
      tree.setAttribute("role", "tree");
      tree.setAttribute("aria-label", "Spans");
      var first = firstVisible();
      if (first) {
        ariaRow(rowOf(first), first);
        if (!focusRow) setFocusRow(rowOf(first));
      }
      var nodes = $$(".node", tree);
      var i = 0;
      function slice() {
        var end = Math.min(nodes.length, i + 1500);
        for (; i < end; i++) {
          var r = rowOf(nodes[i]);
          if (r) ariaRow(r, nodes[i]);
        }
        if (i < nodes.length) setTimeout(slice, 0);
      }
      if (nodes.length <= 1500) slice(); else setTimeout(slice, 0);
    }
    function setFocusRow(row) {
      if (!row || row === focusRow) return;
      if (focusRow) focusRow.tabIndex = -1;
      focusRow = row;
      row.tabIndex = 0;
    }
    var ariaSelectedRow = null;
    // Moving focus makes the browser bring layout up to date: while keys repeat
    // (`deferFocus`), it moves once per frame, with the details.
    function ariaSelect(node, deferFocus) {
      var row = rowOf(node);
      if (!row) return;
      ariaRow(row, node); // rows added later (virtualized trees) get their roles here
      if (ariaSelectedRow && ariaSelectedRow !== row) ariaSelectedRow.removeAttribute("aria-selected");
      ariaSelectedRow = row;
      row.setAttribute("aria-selected", "true");
      var hadFocus = tree.contains(document.activeElement);
      setFocusRow(row);
      if (hadFocus && !deferFocus) focusRowNow();
    }
    function focusRowNow() {
      if (focusRow && document.activeElement !== focusRow && tree.contains(document.activeElement)) {
        focusRow.focus({ preventScroll: true });
      }
    }
    // <details> toggles do not bubble: listen in the capture phase.
    tree.addEventListener("toggle", function (e) {
      var d = e.target;
      if (!d || d.tagName !== "DETAILS" || !isNode(d)) return;
      var r = rowOf(d);
      if (r) r.setAttribute("aria-expanded", d.open ? "true" : "false");
    }, true);
    // A click selects without taking focus (as before the rows were focusable): focus
    // moves with the selection only for someone who came to the tree by keyboard.
    tree.addEventListener("mousedown", function (e) {
      if (e.button !== 0 || !e.target || !e.target.closest) return;
      var row = e.target.closest(".row");
      if (row && tree.contains(row) && !tree.contains(document.activeElement)) e.preventDefault();
    });
    tree.addEventListener("focusin", function (e) {
      var row = e.target && e.target.closest ? e.target.closest(".row") : null;
      if (row && tree.contains(row)) setFocusRow(row);
    });

    // --- keyboard navigation over visible rows (structural walk, no layout reads)

    function nameOf(node) {
      var r = rowOf(node);
      var a = r ? r.querySelector(".span-link") : null;
      return (a ? a.textContent : "").toLowerCase();
    }

    // Type-ahead: letters typed in quick succession select the next visible span whose
    // name starts with them.
    var typed = "";
    var typedAt = 0;
    function typeAhead(ch) {
      var now = Date.now();
      typed = model.typedText(typed, typedAt, ch, now);
      typedAt = now;
      // while a focus move waits for the next frame, the selection is where the keys are
      var focused = pending ? null : nodeOf(document.activeElement);
      var start = focused && tree.contains(focused) && isShown(focused) ? focused
        : selectedNode && isShown(selectedNode) ? selectedNode : firstVisible();
      return model.typeAheadMatch(walk, start, typed, nameOf);
    }

    document.addEventListener("keydown", function (e) {
      if (!tree.isConnected) return; // a run shown in place inside the index, since closed
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (isTypingTarget(e.target)) return;
      var k = e.key;
      var inTree = tree.contains(e.target);
      if (inTree && (k === "Home" || k === "End")) {
        e.preventDefault();
        var edge = k === "Home" ? firstVisible() : lastVisible();
        if (edge) select(edge, { scroll: "nearest" });
        return;
      }
      if (inTree && k.length === 1 && k !== " ") {
        var hit = typeAhead(k.toLowerCase());
        if (hit) {
          e.preventDefault();
          select(hit, { scroll: "nearest" });
        }
        return;
      }
      if (k !== "ArrowDown" && k !== "ArrowUp" && k !== "ArrowLeft" && k !== "ArrowRight") return;
      var cur = selectedNode && isShown(selectedNode) ? selectedNode : null;
      var focused = inTree && !pending ? nodeOf(e.target) : null;
      if (focused && isShown(focused)) cur = focused;
      var target = null;
      if (k === "ArrowDown") {
        target = cur ? nextVisible(cur) : firstVisible();
      } else if (k === "ArrowUp") {
        target = cur ? prevVisible(cur) : firstVisible();
      } else if (cur) {
        var expandable = cur.tagName === "DETAILS" || (cur.classList.contains("flat") && hasKids(cur));
        var isOpen = cur.tagName === "DETAILS" ? cur.open : !cur.classList.contains("collapsed");
        if (k === "ArrowRight") {
          if (expandable && !isOpen) {
            if (cur.tagName === "DETAILS") cur.open = true; else setFlatCollapsed(cur, false);
          } else if (expandable) {
            target = nextVisible(cur);
          }
        } else if (expandable && isOpen) {
          if (cur.tagName === "DETAILS") cur.open = false; else setFlatCollapsed(cur, true);
        } else {
          target = parentNodeOf(cur);
          if (!target && cur.classList.contains("flat")) target = model.flatParent(cur, flat);
        }
      } else {
        return;
      }
      e.preventDefault();
      if (target) select(target, { scroll: "nearest", defer: true });
    });

    // --- clicks: one delegated listener for the whole tree

    function inCaretZone(row, e) {
      if (e.detail === 0) return row.tagName === "SUMMARY"; // Enter/Space on a summary toggles
      var anchor = row.querySelector(".col-name .badge") || row.querySelector(".col-name .span-link");
      if (!anchor) return false;
      return e.clientX < anchor.getBoundingClientRect().left - 1;
    }

    tree.addEventListener("click", function (e) {
      var t = e.target;
      if (!t || !t.closest) return;
      var row = t.closest(".row");
      if (!row || !tree.contains(row)) return;
      var node = nodeOf(row);
      if (!node) return;
      var link = t.closest("a");
      if (link && (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0)) return; // open in new tab etc.
      if (link && !link.classList.contains("span-link")) return; // other links behave normally

      var caret = inCaretZone(row, e);
      if (row.tagName === "SUMMARY") {
        if (caret && !link) return; // native <details> toggle
        e.preventDefault();
        select(node);
        return;
      }
      if (caret && !link && node.classList.contains("flat") && hasKids(node)) {
        setFlatCollapsed(node, !node.classList.contains("collapsed"));
        return;
      }
      e.preventDefault();
      select(node);
    });

    // Links to #s-ID elsewhere on the page (findings, run metadata) select the span.
    window.addEventListener("hashchange", function () { if (tree.isConnected) selectFromHash(); });

    // --- critical path: a toggle that shows only the spans on it

    function criticalToggle() {
      var btn = el("button", { type: "button", class: "critical-only-toggle", "aria-pressed": "false",
        title: "Show only the spans that determined the run's end time" }, "Critical path only");
      btn.addEventListener("click", function () {
        var on = btn.getAttribute("aria-pressed") !== "true";
        btn.setAttribute("aria-pressed", on ? "true" : "false");
        if (on) {
          // every span on the path is shown: open its <details>, unfold its flat rows
          var crit = $$(".node[data-critical]", tree);
          for (var i = 0; i < crit.length; i++) {
            var n = crit[i];
            if (n.tagName === "DETAILS" && !n.open) n.open = true;
            if (n.hidden) n.hidden = false;
            if (isCollapsedFlat(n)) {
              n.classList.remove("collapsed");
              var r = rowOf(n);
              if (r) r.setAttribute("aria-expanded", "true");
            }
          }
          computeRowCounts();
        }
        tree.classList.toggle("critical-only", on);
        criticalOnly = on;
        if (on && selectedNode && !selectedNode.hasAttribute("data-critical")) {
          select(crit.length ? crit[0] : selectedNode, { keepPaneScroll: true });
        }
      });
      return btn;
    }

    // --- toolbar: expand/collapse all + name filter

    if (head) {
      var tools = el("div", { class: "trace-tools", role: "toolbar", "aria-label": "Tree controls" });
      var expandBtn = el("button", { type: "button", class: "expand-all" }, "Expand all");
      var collapseBtn = el("button", { type: "button", class: "collapse-all" }, "Collapse all");
      var filter = el("input", {
        type: "search",
        class: "span-filter",
        id: "span-filter",
        placeholder: "Filter spans by name\u2026",
        "aria-label": "Filter spans by name",
        autocomplete: "off",
        spellcheck: "false"
      });
      var matchCount = el("span", { class: "match-count", "aria-live": "polite" });
      tools.appendChild(expandBtn);
      tools.appendChild(collapseBtn);
      if ($(".node[data-critical]", tree)) tools.appendChild(criticalToggle());
      tools.appendChild(filter);
      tools.appendChild(matchCount);
      head.appendChild(tools);

      var setAll = function (open) {
        var ds = $$("details.node", tree);
        for (var i = 0; i < ds.length; i++) {
          if (ds[i].open !== open) ds[i].open = open;
        }
        if (open) {
          var fl = $$(".node.flat.collapsed", tree);
          for (var j = 0; j < fl.length; j++) fl[j].classList.remove("collapsed");
          var hid = $$(".node.flat[hidden]", tree);
          for (var h = 0; h < hid.length; h++) hid[h].hidden = false;
        }
        computeRowCounts();
        if (!open && selectedNode && !isShown(selectedNode)) {
          // keep the selection on a visible row: its top-level ancestor
          var top = selectedNode;
          while (parentNodeOf(top)) top = parentNodeOf(top);
          select(top, { keepPaneScroll: true });
        }
      };
      expandBtn.addEventListener("click", function () { setAll(true); });
      collapseBtn.addEventListener("click", function () { setAll(false); });

      var names = null; // [row, lowercased name]
      var matches = [];
      var matchPos = -1;
      var applyFilter = function () {
        var q = model.filterQuery(filter.value);
        if (!names) {
          var rows = $$(".row", tree);
          names = new Array(rows.length);
          for (var i = 0; i < rows.length; i++) {
            var a = rows[i].querySelector(".span-link");
            names[i] = [rows[i], (a ? a.textContent : rows[i].textContent).toLowerCase()];
          }
        }
        matches = [];
        matchPos = -1;
        for (var j = 0; j < names.length; j++) {
          var hit = model.nameMatches(names[j][1], q);
          if (hit) matches.push(names[j][0]);
          if (names[j][0].classList.contains("match") !== hit) names[j][0].classList.toggle("match", hit);
        }
        tree.classList.toggle("filtering", q !== "");
        matchCount.textContent = model.matchCountLabel(matches.length, q);
      };
      filter.addEventListener("input", debounce(applyFilter, 120));
      filter.addEventListener("keydown", function (e) {
        if (e.key === "Escape") {
          filter.value = "";
          applyFilter();
          return;
        }
        if (e.key !== "Enter") return;
        e.preventDefault();
        applyFilter();
        if (!matches.length) return;
        matchPos = model.stepMatch(matchPos, matches.length, e.shiftKey);
        var n = nodeOf(matches[matchPos]);
        if (n) select(n, { reveal: true, scroll: "center" });
      });
    }

    // --- initial state

    setupAria();
    selectFromHash();
  }

  return { init: initRunPage };
})();
