/* trace-report: the span tree of a run page as plain logic, apart from the DOM: which rows are
   visible and in what order, how a flat (very deep) row folds its descendants, type-ahead and
   the name filter. run-page.js applies it to the page's elements; Tests/js runs it in node on
   plain objects. ES5, no dependencies. */
var TraceReportTree = (function () {
  "use strict";

  // A tree seen through accessors, so one walk serves the page and plain objects alike:
  //   t.root               the container of the top-level nodes
  //   t.first(e), t.last(e)   first and last element child of e (null if none)
  //   t.next(e), t.prev(e)    next and previous element sibling (null if none)
  //   t.parent(e)          parent element
  //   t.isNode(e)          e is a span node (its row, and inside it its children if it is a folder)
  //   t.isHidden(n)        n is left out: a folded flat row, or off the critical path while only
  //                        the path shows
  //   t.isFolder(e)        e holds its children (a <details>)
  //   t.isOpen(e)          that folder is open
  // The walk is structural: it reads no layout.
  function walker(t) {
    function listed(c) { return t.isNode(c) && !t.isHidden(c); }

    function firstChildNode(folder) {
      for (var c = t.first(folder); c; c = t.next(c)) if (listed(c)) return c;
      return null;
    }
    function lastChildNode(folder) {
      for (var c = t.last(folder); c; c = t.prev(c)) if (listed(c)) return c;
      return null;
    }
    function nextSiblingNode(n) {
      for (var s = t.next(n); s; s = t.next(s)) if (listed(s)) return s;
      return null;
    }
    function prevSiblingNode(n) {
      for (var s = t.prev(n); s; s = t.prev(s)) if (listed(s)) return s;
      return null;
    }
    function parentNodeOf(n) {
      var p = t.parent(n);
      return p && p !== t.root && t.isNode(p) ? p : null;
    }
    // The row after `n` in reading order: its first child if it is open, else the next
    // sibling of it or of its nearest ancestor that has one.
    function nextVisible(n) {
      if (t.isFolder(n) && t.isOpen(n)) {
        var c = firstChildNode(n);
        if (c) return c;
      }
      for (var cur = n; cur; cur = parentNodeOf(cur)) {
        var s = nextSiblingNode(cur);
        if (s) return s;
      }
      return null;
    }
    // The row before `n`: the deepest last row of the previous sibling, else the parent.
    function prevVisible(n) {
      var s = prevSiblingNode(n);
      if (!s) return parentNodeOf(n);
      while (t.isFolder(s) && t.isOpen(s)) {
        var c = lastChildNode(s);
        if (!c) break;
        s = c;
      }
      return s;
    }
    function firstVisible() {
      return firstChildNode(t.root);
    }
    function lastVisible() {
      var last = lastChildNode(t.root);
      while (last && t.isFolder(last) && t.isOpen(last)) {
        var lc = lastChildNode(last);
        if (!lc) break;
        last = lc;
      }
      return last;
    }
    // Shown: not left out, and no closed folder above it.
    function isShown(node) {
      if (!node || t.isHidden(node)) return false;
      for (var p = t.parent(node); p && p !== t.root; p = t.parent(p)) {
        if (t.isFolder(p) && !t.isOpen(p)) return false;
      }
      return true;
    }

    return {
      parentNodeOf: parentNodeOf,
      nextVisible: nextVisible,
      prevVisible: prevVisible,
      firstVisible: firstVisible,
      lastVisible: lastVisible,
      isShown: isShown
    };
  }

  // --- flat rows: very deep spans are written as siblings, each with its depth; a row's
  // descendants are the deeper rows right after it. `f` gives f.next(n), f.prev(n),
  // f.isNode(e), f.depth(n) and f.isCollapsed(n) (a flat row folded).

  // Whether the row right after `node` is deeper, so `node` has children.
  function flatHasChildren(node, f) {
    var nx = f.next(node);
    return !!nx && f.isNode(nx) && f.depth(nx) > f.depth(node);
  }

  // The rows whose `hidden` changes when `node` folds (collapsed) or unfolds, as
  // [row, hidden] pairs in document order. Unfolding leaves hidden what a folded descendant hides.
  function flatFoldChanges(node, collapsed, f) {
    var changes = [];
    var d = f.depth(node);
    var skipBelow = -1; // depth of a folded descendant whose rows stay hidden
    for (var n = f.next(node); n && f.isNode(n); n = f.next(n)) {
      var nd = f.depth(n);
      if (nd <= d) break;
      if (collapsed) {
        changes.push([n, true]);
      } else {
        if (skipBelow >= 0 && nd > skipBelow) continue;
        skipBelow = -1;
        changes.push([n, false]);
        if (f.isCollapsed(n)) skipBelow = nd;
      }
    }
    return changes;
  }

  // The flat row `node` belongs under: the nearest earlier row that is less deep.
  function flatParent(node, f) {
    var d = f.depth(node);
    for (var s = f.prev(node); s && f.isNode(s); s = f.prev(s)) {
      if (f.depth(s) < d) return s;
    }
    return null;
  }

  // The folded rows above `node`, outermost first: unfolding them in this order shows it.
  function flatFoldedAncestors(node, f) {
    var d = f.depth(node);
    var chain = [];
    for (var s = f.prev(node); s && f.isNode(s) && d > 0; s = f.prev(s)) {
      var sd = f.depth(s);
      if (sd < d) {
        if (f.isCollapsed(s)) chain.push(s);
        d = sd;
      }
    }
    return chain.reverse();
  }

  // --- type-ahead: letters typed in quick succession select the next visible span whose
  // name starts with them.

  var TYPE_AHEAD_PAUSE_MS = 700;

  // The letters typed so far, after `ch` at time `now`: a pause longer than the limit starts over.
  function typedText(typed, typedAt, ch, now) {
    return now - typedAt > TYPE_AHEAD_PAUSE_MS ? ch : typed + ch;
  }

  // The node to select for `typed` (lowercase), searching the visible rows from `start` and
  // wrapping around, or null. One letter, or one letter repeated ("aaa"), moves on from
  // `start` to the next name starting with that letter; longer text may match `start` itself.
  // `w` is a walker; `nameOf(n)` is the lowercase name of a node.
  function typeAheadMatch(w, start, typed, nameOf) {
    if (!start || !typed) return null;
    var first = typed.charAt(0);
    var same = typed.length > 1 && typed.split("").every(function (c) { return c === first; });
    var q = same ? first : typed;
    var n = typed.length === 1 || same ? w.nextVisible(start) || w.firstVisible() : start;
    for (var guard = 0; n && guard < 200000; guard++) {
      if (nameOf(n).indexOf(q) === 0) return n;
      n = w.nextVisible(n) || w.firstVisible();
      if (n === start) return nameOf(n).indexOf(q) === 0 ? n : null;
    }
    return null;
  }

  // --- name filter: the query is the field's text, trimmed and lowercased; a row matches
  // when its lowercase name contains it.

  function filterQuery(value) {
    return String(value || "").trim().toLowerCase();
  }

  function nameMatches(name, query) {
    return query !== "" && name.indexOf(query) !== -1;
  }

  // The position of the match Enter (or Shift+Enter, `backwards`) moves to from `pos`
  // (-1 before the first), among `count` matches, wrapping around.
  function stepMatch(pos, count, backwards) {
    if (count <= 0) return -1;
    return backwards ? (pos <= 0 ? count - 1 : pos - 1) : (pos + 1) % count;
  }

  // The text beside the filter field: empty without a query.
  function matchCountLabel(count, query) {
    if (query === "") return "";
    return count + (count === 1 ? " match" : " matches") + (count ? " \u00b7 Enter for next" : "");
  }

  return {
    walker: walker,
    flatHasChildren: flatHasChildren,
    flatFoldChanges: flatFoldChanges,
    flatParent: flatParent,
    flatFoldedAncestors: flatFoldedAncestors,
    TYPE_AHEAD_PAUSE_MS: TYPE_AHEAD_PAUSE_MS,
    typedText: typedText,
    typeAheadMatch: typeAheadMatch,
    filterQuery: filterQuery,
    nameMatches: nameMatches,
    stepMatch: stepMatch,
    matchCountLabel: matchCountLabel
  };
})();
if (typeof module === "object" && module.exports) module.exports = TraceReportTree;
