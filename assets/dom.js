/* trace-report: the small DOM helpers the page script's parts share. ES5, no dependencies. */
var TraceReportDOM = (function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return (root || document).querySelectorAll(sel); }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    }
    if (text != null) e.textContent = text;
    return e;
  }

  function debounce(fn, ms) {
    var t = 0;
    return function () {
      var args = arguments, self = this;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(self, args); }, ms);
    };
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

  return { $: $, $$: $$, el: el, debounce: debounce, decodeHash: decodeHash, isTypingTarget: isTypingTarget };
})();
