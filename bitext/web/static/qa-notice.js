// The reader's "checked" notice: the translation checks' open findings of the document,
// as a small disclosure above the text. Pages that are not a document are left alone.
(function () {
  "use strict";
  var script = document.currentScript;
  var match = window.location.pathname.match(/\/documents\/([^/]+)\/?$/);
  if (!script || !match || !document.querySelector(".side--original, .side--translation")) return;
  if (!window.fetch) return;
  var url = script.dataset.api.replace("__slug__", match[1]);

  function notice(report) {
    var details = document.createElement("details");
    details.className = "qa-notice";
    var summary = document.createElement("summary");
    summary.textContent = report.open === 0
      ? "Translation checked: no open findings"
      : "Translation checked: " + report.open + " open finding" + (report.open === 1 ? "" : "s");
    details.appendChild(summary);
    if (report.findings.length) {
      var list = document.createElement("ul");
      report.findings.forEach(function (finding) {
        var item = document.createElement("li");
        item.textContent = "Sentence " + finding.row + " · " + finding.kind + ": " + finding.message;
        list.appendChild(item);
      });
      details.appendChild(list);
    }
    var main = document.getElementById("main") || document.body;
    main.insertBefore(details, main.firstChild);
    if (!document.querySelector('link[href="' + script.dataset.css + '"]')) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = script.dataset.css;
      document.head.appendChild(link);
    }
  }

  fetch(url, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (report) { if (report) notice(report); })
    .catch(function () { /* no notice: the reader works as before */ });
})();
