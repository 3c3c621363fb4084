// Inlined at the top of <head> of a page whose front matter says `start_engine: true` (overrides/main.html).
// The calculator's worker is the longest wait of a visit; started here, it boots while the page is
// still parsed and laid out, about a second before the page's modules run on a cheap phone (it reads
// the manifest, what to load, itself). The page's copy of the manifest is fetched here too. The
// worker's messages are kept until engine.js takes it over (startEngine). Where anything is missing
// or blocked (WebAssembly, module workers), nothing starts here: engine.js then starts the worker
// itself and says why it cannot.
(function (script) {
  performance.mark("yb:head script"); // a phase of the visit (docs/assets/calculator/phases.js)
  try {
    if (typeof WebAssembly !== "object") return;
    // A browser without module workers never reads `type` (and would run worker.js as a classic script).
    var understood = false;
    var options = {
      get type() {
        understood = true;
        return "module";
      },
    };
    var worker = new Worker(script.dataset.worker, options);
    if (!understood) return worker.terminate();
    var events = [];
    var keep = events.push.bind(events);
    worker.addEventListener("message", keep);
    worker.addEventListener("error", keep);
    var manifest = fetch(script.dataset.manifest).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.url);
      return response.json();
    });
    window.ybStartedEngine = {
      worker: worker,
      manifest: manifest,
      release: function () {
        worker.removeEventListener("message", keep);
        worker.removeEventListener("error", keep);
        return events;
      },
    };
  } catch (error) {
    // Worker blocked (CSP worker-src, sandbox): engine.js tries again and reports it.
  }
})(document.currentScript);
