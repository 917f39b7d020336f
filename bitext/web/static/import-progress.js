// The import progress page without reloading: read the job's status every second, move the
// bar, and go to the report when the job is done. Without JavaScript the page's meta
// refresh (inside <noscript>) reloads it instead.
(function () {
  "use strict";
  var box = document.querySelector(".import-progress");
  if (!box || !window.fetch) return;
  var stage = document.getElementById("import-stage");
  var bar = document.getElementById("import-bar");

  function tick() {
    fetch(box.dataset.status, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.finished) {
          window.location.assign(job.status === "done" ? box.dataset.report : window.location.href);
          return;
        }
        var what = job.status === "queued" ? "Waiting for its turn" : (job.stage || "starting");
        what = what.charAt(0).toUpperCase() + what.slice(1);
        stage.textContent = job.total ? what + ": " + job.done + " of " + job.total : what;
        if (job.percent === null) bar.removeAttribute("value"); else bar.value = job.percent;
        window.setTimeout(tick, 1000);
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 1000);
})();
