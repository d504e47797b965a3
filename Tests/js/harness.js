// A minimal test harness for the page script's pure modules, run with plain node:
// test(name, fn) runs fn at once; at exit the file prints "ok N" (N tests passed) or lists
// each failure and exits 1. Tests/js/run runs every *.test.js and adds up the counts.
"use strict";

var passed = 0;
var failures = [];

function test(name, fn) {
  try {
    fn();
    passed++;
  } catch (err) {
    failures.push(name + "\n    " + String(err && err.stack || err).split("\n").slice(0, 6).join("\n    "));
  }
}

process.on("exit", function () {
  if (failures.length) {
    failures.forEach(function (f) { console.log("FAIL " + f); });
    console.log("failed " + failures.length + " of " + (passed + failures.length));
    process.exitCode = 1;
  } else {
    console.log("ok " + passed);
  }
});

module.exports = { test: test };
