/* trace-report: the "Copy as eval case" button on run pages. The row itself is plain text in
   the page (#eval-case-json), so it is there without JavaScript too. Appended to report.js. */
(function () {
  "use strict";
  var api = window.traceReport = window.traceReport || {};
  (api._runPageSetups = api._runPageSetups || []).push(setup);
  setup();

  // Also called for a run shown in place inside a large index.
  function setup() {
    var row = document.getElementById("eval-case-json");
    if (!row) return;
    var details = row.closest("details");
    if (!details) return;
    var summary = details.querySelector("summary");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-eval-case";
    button.textContent = "Copy as eval case";
    function selectRow() {
      details.open = true;
      var range = document.createRange();
      range.selectNodeContents(row);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    function done(state, label) {
      button.dataset.state = state;
      button.textContent = label;
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      var text = row.textContent;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () {
          done("copied", "Copied");
        }, function () {
          selectRow();
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
          done(ok ? "copied" : "selected", ok ? "Copied" : "Selected: press Ctrl+C");
        });
      } else {
        selectRow();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        done(ok ? "copied" : "selected", ok ? "Copied" : "Selected: press Ctrl+C");
      }
    });
    if (summary) summary.appendChild(button);
  }
})();
