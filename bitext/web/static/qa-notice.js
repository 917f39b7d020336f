// The reader's "checked" notice: the translation checks' open findings of the document,
// as a small disclosure under its title and details. Pages that are not a document are left
// alone. The checks count aligned sentence pairs ("row 136"); readers see paragraphs, so each
// finding names and links the paragraph holding that pair (its sentences carry data-bead,
// the pair's 0-based position).
(function () {
  "use strict";
  var script = document.currentScript;
  var match = window.location.pathname.match(/\/documents\/([^/]+)\/?$/);
  if (!script || !match || !document.querySelector(".side--original, .side--translation")) return;
  if (!window.fetch) return;
  var url = script.dataset.api.replace("__slug__", match[1]);

  // "¶ 112" for a check's row, or null when the page does not show that pair.
  function paragraphOf(row) {
    var sentence = document.querySelector('.s[data-bead="' + (row - 1) + '"]');
    var paragraph = sentence && sentence.closest(".row");
    return paragraph ? paragraph.id : null;
  }

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
        var id = paragraphOf(finding.row);
        var where = document.createElement(id ? "a" : "span");
        where.textContent = id ? "¶ " + id.slice(1) : "Sentence pair " + finding.row;
        if (id) { where.href = "#" + id; }
        var message = finding.message.replace(/\brow (\d+)/g, function (text, row) {
          var other = paragraphOf(parseInt(row, 10));
          return other ? "¶ " + other.slice(1) : "sentence pair " + row;
        });
        item.appendChild(where);
        item.appendChild(document.createTextNode(" · " + finding.kind + ": " + message));
        list.appendChild(item);
      });
      details.appendChild(list);
    }
    var header = document.querySelector(".document__header");
    if (header) {
      header.appendChild(details);
    } else {
      var main = document.getElementById("main") || document.body;
      main.insertBefore(details, main.firstChild);
    }
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
