// The runs table's filtering and sorting (assets/table-model.js): the small index sorts rows by
// keyed triples, the large index by numeric column keys; both must agree.
"use strict";
var assert = require("assert");
var test = require("./harness.js").test;
var Table = require("../../assets/table-model.js");

// ------------------------------------------------------------------- filter

test("the query splits into lowercase words on any run of spaces", function () {
  assert.deepStrictEqual(Table.searchTerms("  Timeout   GPT-4\tretry "), ["timeout", "gpt-4", "retry"]);
  assert.deepStrictEqual(Table.searchTerms("   "), []);
  assert.deepStrictEqual(Table.searchTerms(""), []);
});

test("a row is kept when its status is the chosen one and its text holds every word", function () {
  var text = "run-7 error tool timeout after 30 s";
  assert.strictEqual(Table.rowMatches(text, "error", "all", []), true);
  assert.strictEqual(Table.rowMatches(text, "error", "error", ["timeout", "run-7"]), true);
  assert.strictEqual(Table.rowMatches(text, "error", "ok", ["timeout"]), false);
  assert.strictEqual(Table.rowMatches(text, "error", "all", ["timeout", "retry"]), false);
  assert.strictEqual(Table.rowMatches(text, "unfinished", "error", []), false);
});

test("the count reads 'N of M runs', singular for one", function () {
  assert.strictEqual(Table.countLabel(3, 10), "3 of 10 runs");
  assert.strictEqual(Table.countLabel(1, 1), "1 of 1 run");
  assert.strictEqual(Table.countLabel(0, 0), "0 of 0 runs");
});

// --------------------------------------------------------------------- sort

test("a cell's sort value: missing is null, numbers parse, text lowercases", function () {
  assert.strictEqual(Table.sortValue("", true), null);
  assert.strictEqual(Table.sortValue(null, false), null);
  assert.strictEqual(Table.sortValue("1.5e3", true), 1500);
  assert.strictEqual(Table.sortValue("n/a", true), null);
  assert.strictEqual(Table.sortValue("Infinity", true), null);
  assert.strictEqual(Table.sortValue("Run B", false), "run b");
});

function sortRows(values, numeric, dir) {
  var keyed = values.map(function (v, i) { return [Table.sortValue(v, numeric), i, v]; });
  return Table.sortKeyed(keyed, numeric, dir).map(function (k) { return k[2]; });
}

test("numbers sort as numbers, with missing values last in both directions", function () {
  var values = ["10", "", "9", "n/a", "100", "-1"];
  assert.deepStrictEqual(sortRows(values, true, "ascending"), ["-1", "9", "10", "100", "", "n/a"]);
  assert.deepStrictEqual(sortRows(values, true, "descending"), ["100", "10", "9", "-1", "", "n/a"]);
});

test("text sorts with digits as numbers, ignoring case; ties keep the start order", function () {
  var values = ["run 10", "Run 2", "run 1", "", "RUN 2"];
  assert.deepStrictEqual(sortRows(values, false, "ascending"), ["run 1", "Run 2", "RUN 2", "run 10", ""]);
  // descending reverses the values but not the order of ties, and missing stays last
  assert.deepStrictEqual(sortRows(values, false, "descending"), ["run 10", "Run 2", "RUN 2", "run 1", ""]);
});

test("text compares accents and case aside", function () {
  assert.strictEqual(Table.compareText("école", "Ecole"), 0);
  assert.ok(Table.compareText("agent 9", "agent 10") < 0);
});

function positions(values, numeric, dir) {
  return Array.prototype.slice.call(Table.sortedPositions(Table.columnKeys(values, numeric), dir));
}

test("a large index's column keys sort like the small index's rows", function () {
  var cases = [
    [["10", "", "9", "n/a", "100", "-1", undefined], true],
    [["run 10", "Run 2", "run 1", "", "RUN 2", null, "alpha"], false]
  ];
  cases.forEach(function (c) {
    ["ascending", "descending"].forEach(function (dir) {
      var values = c[0];
      var small = sortRows(values.map(function (v) { return v == null ? "" : v; }), c[1], dir);
      var large = positions(values, c[1], dir).map(function (p) { return values[p] == null ? "" : values[p]; });
      assert.deepStrictEqual(large, small, dir + " " + JSON.stringify(values));
    });
  });
});

test("text column keys rank distinct values; missing values have no key", function () {
  var keys = Table.columnKeys(["b", "", "a", "B", "c"], false);
  assert.ok(keys[2] < keys[0]);
  assert.strictEqual(keys[0], keys[3]); // "b" and "B" compare equal
  assert.ok(keys[0] < keys[4]);
  assert.ok(Number.isNaN(keys[1]));
  assert.deepStrictEqual(positions(["3", "x", "1"], true, "ascending"), [2, 0, 1]);
});

test("a header click sorts ascending first, then flips", function () {
  assert.strictEqual(Table.nextDirection(null), "ascending");
  assert.strictEqual(Table.nextDirection("none"), "ascending");
  assert.strictEqual(Table.nextDirection("ascending"), "descending");
  assert.strictEqual(Table.nextDirection("descending"), "ascending");
});

// ------------------------------------------------------------- packed data

test("a large index's data chunk gets its digits back (the vector IndexData.separateDigits writes)", function () {
  // LargeIndexTests checks that Swift packs "<b>12 of 7</b>\u0001x" into exactly this.
  assert.strictEqual(Table.joinDigits("12,7,\n<b>\u0001 of \u0001</b>\u0001x"), "<b>12 of 7</b>\u0001x");
  assert.strictEqual(Table.joinDigits("\n<tr>\u0000</tr>"), "<tr>\u0000</tr>");
  assert.strictEqual(Table.joinDigits("\n\u0001"), "\u0001");
  assert.strictEqual(Table.joinDigits("0\n\u0001"), "0");
  assert.strictEqual(Table.joinDigits("\n"), "");
  assert.throws(function () { Table.joinDigits("1,2\n\u0001"); });
  assert.throws(function () { Table.joinDigits("<tr>"); });
});
