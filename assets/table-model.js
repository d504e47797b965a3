/* trace-report: the runs table of an index page as plain logic, apart from the DOM: filtering by
   status and words, and sorting with missing values last. report.js applies it to a small
   index's rows, index-table.js to a large index's data; Tests/js runs it in node. ES5, no
   dependencies. */
var TraceReportTable = (function () {
  "use strict";

  // --- filter: a row is kept when its status is the one chosen ("all" keeps any) and its
  // search text (lowercase) contains every word of the query.

  // The words of the filter field's text, lowercased; none for an empty field.
  function searchTerms(value) {
    var q = String(value || "").trim().toLowerCase();
    return q ? q.split(/\s+/) : [];
  }

  function rowMatches(text, status, wantStatus, terms) {
    if (wantStatus && wantStatus !== "all" && status !== wantStatus) return false;
    for (var i = 0; i < terms.length; i++) {
      if (text.indexOf(terms[i]) === -1) return false;
    }
    return true;
  }

  // The text beside the filter: "3 of 10 runs".
  function countLabel(shown, total) {
    return shown + " of " + total + (total === 1 ? " run" : " runs");
  }

  // --- sort: text compares by the reader's locale, digits as numbers ("run 2" before "run 10"),
  // case and accents aside; numbers compare as numbers. Missing values (empty, or not a number
  // in a number column) go last in both directions; ties keep the start order.

  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var compareText = collator.compare;

  // The sort key of a cell's value: null when missing, a number in a number column, else the
  // lowercased text.
  function sortValue(raw, numeric) {
    if (raw == null || raw === "") return null;
    if (numeric) {
      var n = Number(raw);
      return isFinite(n) ? n : null;
    }
    return String(raw).toLowerCase();
  }

  // Sorts `items`, [key, start position, anything] triples with keys from sortValue, in place
  // for `dir` ("ascending" or "descending"), and returns it.
  function sortKeyed(items, numeric, dir) {
    var sign = dir === "descending" ? -1 : 1;
    return items.sort(function (a, b) {
      var x = a[0], y = b[0];
      if (x === null || y === null) {
        if (x === null && y === null) return a[1] - b[1];
        return x === null ? 1 : -1;
      }
      var c;
      if (numeric) c = x < y ? -1 : x > y ? 1 : 0;
      else c = compareText(x, y);
      return c !== 0 ? c * sign : a[1] - b[1];
    });
  }

  // Keys of a large index's column as numbers, NaN when missing, so a sort compares numbers
  // only: the values themselves in a number column, else each text's rank among the column's
  // distinct texts.
  function columnKeys(values, numeric) {
    var n = values.length;
    var keys = new Float64Array(n);
    if (numeric) {
      for (var i = 0; i < n; i++) {
        var v = values[i];
        var x = v === "" || v == null ? NaN : Number(v);
        keys[i] = isFinite(x) ? x : NaN;
      }
      return keys;
    }
    // Rank the distinct values once, so the sort compares integers. Texts that compare equal
    // ("Run 2", "RUN 2") share a rank, so they keep the start order in both directions.
    var distinct = new Map();
    for (var j = 0; j < n; j++) {
      var s = values[j] || "";
      if (!distinct.has(s)) distinct.set(s, 0);
    }
    var sorted = Array.from(distinct.keys()).sort(compareText);
    var rank = 0;
    for (var r = 0; r < sorted.length; r++) {
      if (r > 0 && compareText(sorted[r - 1], sorted[r]) !== 0) rank++;
      distinct.set(sorted[r], rank);
    }
    for (var m = 0; m < n; m++) {
      var t = values[m] || "";
      keys[m] = t === "" ? NaN : distinct.get(t);
    }
    return keys;
  }

  // The positions 0..<keys.length ordered by `keys` for `dir`, NaN last, ties in start order.
  function sortedPositions(keys, dir) {
    var sign = dir === "descending" ? -1 : 1;
    var idx = new Uint32Array(keys.length);
    for (var i = 0; i < idx.length; i++) idx[i] = i;
    idx.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      var xn = x !== x, yn = y !== y;
      if (xn || yn) {
        if (xn && yn) return a - b;
        return xn ? 1 : -1;
      }
      return x < y ? -sign : x > y ? sign : a - b;
    });
    return idx;
  }

  // The order a header click asks for, given the column's current aria-sort.
  function nextDirection(current) {
    return current === "ascending" ? "descending" : "ascending";
  }

  // The text a large index's data chunk was packed from (IndexData.separateDigits on the Swift
  // side): "12,7\n\u0001 of \u0001 runs" is "12 of 7 runs"; an empty run stands for a
  // U+0001 of the text itself.
  function joinDigits(packed) {
    var newline = packed.indexOf("\n");
    if (newline < 0) throw new Error("not packed data");
    var numbers = packed.slice(0, newline).split(",");
    var parts = packed.slice(newline + 1).split("\u0001");
    if (parts.length - 1 !== numbers.length && !(parts.length === 1 && newline === 0)) {
      throw new Error("packed data: " + numbers.length + " numbers for " + (parts.length - 1) + " places");
    }
    var out = new Array(2 * parts.length - 1);
    out[0] = parts[0];
    for (var i = 1; i < parts.length; i++) {
      out[2 * i - 1] = numbers[i - 1] === "" ? "\u0001" : numbers[i - 1];
      out[2 * i] = parts[i];
    }
    return out.join("");
  }

  return {
    joinDigits: joinDigits,
    searchTerms: searchTerms,
    rowMatches: rowMatches,
    countLabel: countLabel,
    compareText: compareText,
    sortValue: sortValue,
    sortKeyed: sortKeyed,
    columnKeys: columnKeys,
    sortedPositions: sortedPositions,
    nextDirection: nextDirection
  };
})();
if (typeof module === "object" && module.exports) module.exports = TraceReportTable;
