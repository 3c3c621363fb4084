// Stand-in for the ResizeObserver polyfill Material's theme would load from a public CDN on browsers
// that lack ResizeObserver (Chromium < 64, iOS < 13.4; some old in-app browsers): nothing on this
// site comes from a third-party host. It reports each observed element's size when observed and
// again whenever the window is resized, which is all the theme needs it for (header, sidebars).
(function () {
  "use strict";
  if (typeof window.ResizeObserver !== "undefined") return;
  function entry(target) {
    return { target: target, contentRect: target.getBoundingClientRect() };
  }
  function ResizeObserver(callback) {
    var observer = this;
    var targets = [];
    function report(list) {
      if (list.length) callback(list.map(entry), observer);
    }
    function onResize() {
      report(targets);
    }
    this.observe = function (target) {
      if (targets.indexOf(target) >= 0) return;
      if (!targets.length) window.addEventListener("resize", onResize);
      targets.push(target);
      setTimeout(function () { report([target]); }, 0);
    };
    this.unobserve = function (target) {
      targets = targets.filter(function (t) { return t !== target; });
      if (!targets.length) window.removeEventListener("resize", onResize);
    };
    this.disconnect = function () {
      targets = [];
      window.removeEventListener("resize", onResize);
    };
  }
  window.ResizeObserver = ResizeObserver;
})();
