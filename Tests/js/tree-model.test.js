// The span tree's walking, flat-row folding, type-ahead and name filter (assets/tree-model.js),
// on plain objects shaped like the run page: a folder's first child is its row, then its nodes.
"use strict";
var assert = require("assert");
var test = require("./harness.js").test;
var Tree = require("../../assets/tree-model.js");

// node(name, kids, opts): a span; with kids it is a folder (a <details>), open unless opts.closed.
function node(name, kids, opts) {
  opts = opts || {};
  return { name: name, kids: kids || [], open: !opts.closed, hidden: !!opts.hidden, depth: opts.depth || 0 };
}

// A tree of elements from top-level nodes: each element knows its parent and children, and
// every node starts with a row element that is not a node (as <summary> in <details>).
function build(top) {
  var root = { name: "(tree)", children: [], parent: null };
  var byName = {};
  function attach(parent, n) {
    n.parent = parent;
    parent.children.push(n);
    byName[n.name] = n;
    n.children = [{ row: true, parent: n, children: [] }];
    n.kids.forEach(function (k) { attach(n, k); });
  }
  top.forEach(function (n) { attach(root, n); });
  function sibling(e, step) {
    if (!e.parent) return null;
    var list = e.parent.children;
    return list[list.indexOf(e) + step] || null;
  }
  var t = {
    root: root,
    first: function (e) { return e.children[0] || null; },
    last: function (e) { return e.children[e.children.length - 1] || null; },
    next: function (e) { return sibling(e, 1); },
    prev: function (e) { return sibling(e, -1); },
    parent: function (e) { return e.parent; },
    isNode: function (e) { return !!e && !e.row && e !== root; },
    isHidden: function (n) { return n.hidden; },
    isFolder: function (e) { return !!e.kids && e.kids.length > 0; },
    isOpen: function (e) { return e.open; }
  };
  var flat = {
    next: t.next,
    prev: t.prev,
    isNode: t.isNode,
    depth: function (n) { return n.depth; },
    isCollapsed: function (n) { return !!n.collapsed; }
  };
  return { root: root, t: t, flat: flat, w: Tree.walker(t), get: function (name) { return byName[name]; } };
}

function names(list) { return list.map(function (n) { return n ? n.name : null; }); }

function forward(w) {
  var out = [];
  for (var n = w.firstVisible(); n; n = w.nextVisible(n)) out.push(n);
  return out;
}
function backward(w) {
  var out = [];
  for (var n = w.lastVisible(); n; n = w.prevVisible(n)) out.push(n);
  return out;
}

// root ─ a ─ b ─ c
//        │   └ d
//        └ e
// f ─ g
function sample(opts) {
  opts = opts || {};
  return build([
    node("agent run", [
      node("plan", [node("call model"), node("parse reply")], { closed: opts.planClosed }),
      node("search docs", null, { hidden: opts.searchHidden })
    ]),
    node("summarize", [node("call model again")], { closed: opts.summarizeClosed })
  ]);
}

// ------------------------------------------------------------------ walking

test("every row of an open tree is visited in reading order, and backwards in reverse", function () {
  var s = sample();
  var order = ["agent run", "plan", "call model", "parse reply", "search docs", "summarize", "call model again"];
  assert.deepStrictEqual(names(forward(s.w)), order);
  assert.deepStrictEqual(names(backward(s.w)), order.slice().reverse());
});

test("a closed folder's children are skipped both ways, and Up from after it lands on it", function () {
  var s = sample({ planClosed: true });
  assert.deepStrictEqual(names(forward(s.w)), ["agent run", "plan", "search docs", "summarize", "call model again"]);
  assert.strictEqual(s.w.prevVisible(s.get("search docs")).name, "plan");
  assert.strictEqual(s.w.nextVisible(s.get("plan")).name, "search docs");
});

test("a hidden node is left out of the walk", function () {
  var s = sample({ searchHidden: true });
  assert.deepStrictEqual(names(forward(s.w)),
    ["agent run", "plan", "call model", "parse reply", "summarize", "call model again"]);
  // Down from the last child of a folder climbs to the next top-level node
  assert.strictEqual(s.w.nextVisible(s.get("parse reply")).name, "summarize");
});

test("the last visible row is the deepest last row of open folders, not of closed ones", function () {
  assert.strictEqual(sample().w.lastVisible().name, "call model again");
  assert.strictEqual(sample({ summarizeClosed: true }).w.lastVisible().name, "summarize");
  assert.strictEqual(build([]).w.lastVisible(), null);
  assert.strictEqual(build([]).w.firstVisible(), null);
});

test("a node under a closed folder is not shown; a hidden node is not shown", function () {
  var s = sample({ planClosed: true, searchHidden: true });
  assert.strictEqual(s.w.isShown(s.get("call model")), false);
  assert.strictEqual(s.w.isShown(s.get("plan")), true);
  assert.strictEqual(s.w.isShown(s.get("search docs")), false);
  assert.strictEqual(s.w.isShown(null), false);
});

test("the parent of a top-level node is none; of a child, its folder", function () {
  var s = sample();
  assert.strictEqual(s.w.parentNodeOf(s.get("agent run")), null);
  assert.strictEqual(s.w.parentNodeOf(s.get("parse reply")).name, "plan");
  assert.strictEqual(s.w.prevVisible(s.get("agent run")), null);
  assert.strictEqual(s.w.prevVisible(s.get("call model")).name, "plan");
});

// ---------------------------------------------------------------- flat rows

// Flat rows: siblings with depths, as a very deep run is written.
//   0 a, 1 b, 2 c, 3 d, 2 e, 1 f, 0 g
function flatRows() {
  var spec = [["a", 0], ["b", 1], ["c", 2], ["d", 3], ["e", 2], ["f", 1], ["g", 0]];
  return build(spec.map(function (p) { return node(p[0], null, { depth: p[1] }); }));
}

test("folding a flat row hides exactly the deeper rows right after it", function () {
  var s = flatRows();
  var changes = Tree.flatFoldChanges(s.get("b"), true, s.flat);
  assert.deepStrictEqual(changes.map(function (c) { return [c[0].name, c[1]]; }),
    [["c", true], ["d", true], ["e", true]]);
  assert.deepStrictEqual(Tree.flatFoldChanges(s.get("g"), true, s.flat), []);
});

test("unfolding a flat row leaves hidden what a folded descendant hides", function () {
  var s = flatRows();
  s.get("c").collapsed = true;
  var changes = Tree.flatFoldChanges(s.get("a"), false, s.flat);
  assert.deepStrictEqual(changes.map(function (c) { return [c[0].name, c[1]]; }),
    [["b", false], ["c", false], ["e", false], ["f", false]]);
});

test("a flat row's parent is the nearest earlier row that is less deep", function () {
  var s = flatRows();
  assert.strictEqual(Tree.flatParent(s.get("e"), s.flat).name, "b");
  assert.strictEqual(Tree.flatParent(s.get("d"), s.flat).name, "c");
  assert.strictEqual(Tree.flatParent(s.get("g"), s.flat), null);
});

test("the folded rows above a flat row come outermost first; unfolded ones are left out", function () {
  var s = flatRows();
  s.get("a").collapsed = true;
  s.get("c").collapsed = true;
  assert.deepStrictEqual(names(Tree.flatFoldedAncestors(s.get("d"), s.flat)), ["a", "c"]);
  assert.deepStrictEqual(names(Tree.flatFoldedAncestors(s.get("f"), s.flat)), ["a"]);
  assert.deepStrictEqual(Tree.flatFoldedAncestors(s.get("g"), s.flat), []);
});

test("a flat row has children when the next row is deeper", function () {
  var s = flatRows();
  assert.strictEqual(Tree.flatHasChildren(s.get("c"), s.flat), true);
  assert.strictEqual(Tree.flatHasChildren(s.get("d"), s.flat), false);
  assert.strictEqual(Tree.flatHasChildren(s.get("g"), s.flat), false);
});

// --------------------------------------------------------------- type-ahead

function nameOf(n) { return n.name.toLowerCase(); }

test("letters typed within the pause add up; after it, typing starts over", function () {
  assert.strictEqual(Tree.typedText("pa", 1000, "r", 1000 + Tree.TYPE_AHEAD_PAUSE_MS), "par");
  assert.strictEqual(Tree.typedText("pa", 1000, "r", 1001 + Tree.TYPE_AHEAD_PAUSE_MS), "r");
});

test("one letter moves to the next visible name starting with it, wrapping around", function () {
  var s = sample();
  var w = s.w;
  assert.strictEqual(Tree.typeAheadMatch(w, s.get("agent run"), "c", nameOf).name, "call model");
  assert.strictEqual(Tree.typeAheadMatch(w, s.get("call model"), "c", nameOf).name, "call model again");
  assert.strictEqual(Tree.typeAheadMatch(w, s.get("call model again"), "c", nameOf).name, "call model");
  assert.strictEqual(Tree.typeAheadMatch(w, s.get("summarize"), "a", nameOf).name, "agent run");
});

test("a repeated letter cycles through the names starting with it", function () {
  var s = sample();
  assert.strictEqual(Tree.typeAheadMatch(s.w, s.get("plan"), "pp", nameOf).name, "parse reply");
  assert.strictEqual(Tree.typeAheadMatch(s.w, s.get("parse reply"), "ppp", nameOf).name, "plan");
});

test("several letters match from the current row itself, and skip rows in closed folders", function () {
  var s = sample();
  assert.strictEqual(Tree.typeAheadMatch(s.w, s.get("plan"), "pl", nameOf).name, "plan");
  assert.strictEqual(Tree.typeAheadMatch(s.w, s.get("plan"), "pa", nameOf).name, "parse reply");
  var closed = sample({ planClosed: true });
  assert.strictEqual(Tree.typeAheadMatch(closed.w, closed.get("agent run"), "pa", nameOf), null);
  assert.strictEqual(Tree.typeAheadMatch(closed.w, closed.get("agent run"), "c", nameOf).name, "call model again");
});

test("a name nobody has matches nothing, and an only match is found from itself", function () {
  var s = sample();
  assert.strictEqual(Tree.typeAheadMatch(s.w, s.get("plan"), "z", nameOf), null);
  assert.strictEqual(Tree.typeAheadMatch(s.w, s.get("search docs"), "s", nameOf).name, "summarize");
  var one = build([node("only")]);
  assert.strictEqual(Tree.typeAheadMatch(one.w, one.get("only"), "o", nameOf).name, "only");
  assert.strictEqual(Tree.typeAheadMatch(one.w, null, "o", nameOf), null);
});

// -------------------------------------------------------------- name filter

test("the filter query is the field's text trimmed and lowercased; empty matches nothing", function () {
  assert.strictEqual(Tree.filterQuery("  Call Model \n"), "call model");
  assert.strictEqual(Tree.filterQuery(null), "");
  assert.strictEqual(Tree.nameMatches("call model again", "model"), true);
  assert.strictEqual(Tree.nameMatches("call model again", "planner"), false);
  assert.strictEqual(Tree.nameMatches("call model again", ""), false);
});

test("Enter and Shift+Enter step through the matches and wrap", function () {
  assert.strictEqual(Tree.stepMatch(-1, 3, false), 0);
  assert.strictEqual(Tree.stepMatch(2, 3, false), 0);
  assert.strictEqual(Tree.stepMatch(-1, 3, true), 2);
  assert.strictEqual(Tree.stepMatch(0, 3, true), 2);
  assert.strictEqual(Tree.stepMatch(2, 3, true), 1);
  assert.strictEqual(Tree.stepMatch(0, 0, false), -1);
});

test("the match count reads as a sentence and is empty without a query", function () {
  assert.strictEqual(Tree.matchCountLabel(0, ""), "");
  assert.strictEqual(Tree.matchCountLabel(0, "x"), "0 matches");
  assert.strictEqual(Tree.matchCountLabel(1, "x"), "1 match \u00b7 Enter for next");
  assert.strictEqual(Tree.matchCountLabel(4, "x"), "4 matches \u00b7 Enter for next");
});
