// Glossary marks in the reader: each glossary term in the original is a dotted link to its
// entry; hovering or focusing it shows the canonical rendering. A toggle turns the marks off
// (remembered in this browser). Pages without an original side are left alone.
(function () {
  "use strict";
  var script = document.currentScript;
  var sentences = document.querySelectorAll(".side--original .s");
  if (!script || !sentences.length || !window.fetch) return;
  var STORAGE_KEY = "bitext-glossary-marks";
  var MIN_TERM_CHARS = 3; // shorter terms (条, 决定) are everyday words too

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function stored() {
    try { return window.localStorage.getItem(STORAGE_KEY) !== "off"; } catch (e) { return true; }
  }

  function remember(on) {
    try { window.localStorage.setItem(STORAGE_KEY, on ? "on" : "off"); } catch (e) { /* private mode */ }
  }

  function addStylesheet() {
    if (document.querySelector('link[href="' + script.dataset.css + '"]')) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = script.dataset.css;
    document.head.appendChild(link);
  }

  function markText(node, pattern, byForm) {
    var text = node.nodeValue;
    pattern.lastIndex = 0;
    var match, cursor = 0, pieces = document.createDocumentFragment(), found = false;
    while ((match = pattern.exec(text)) !== null) {
      var entry = byForm[match[0]];
      pieces.appendChild(document.createTextNode(text.slice(cursor, match.index)));
      var mark = document.createElement("a");
      mark.className = "glossary-mark";
      mark.href = entry.url;
      mark.textContent = match[0];
      mark.setAttribute("data-rendering", entry.canonical);
      mark.setAttribute("aria-label", match[0] + ": " + entry.canonical);
      pieces.appendChild(mark);
      cursor = match.index + match[0].length;
      found = true;
    }
    if (!found) return;
    pieces.appendChild(document.createTextNode(text.slice(cursor)));
    node.parentNode.replaceChild(pieces, node);
  }

  function setMarks(on, button) {
    document.documentElement.classList.toggle("glossary-marks-off", !on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    document.querySelectorAll(".glossary-mark").forEach(function (mark) {
      if (on) { mark.removeAttribute("tabindex"); } else { mark.setAttribute("tabindex", "-1"); }
    });
  }

  function addToggle() {
    var bar = document.createElement("p");
    bar.className = "glossary-toggle";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "glossary-toggle__button";
    button.textContent = "Glossary marks";
    bar.appendChild(button);
    var main = document.getElementById("main") || document.body;
    main.insertBefore(bar, main.firstChild);
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      remember(on);
      setMarks(on, button);
    });
    return button;
  }

  fetch(script.dataset.api, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (entries) {
      var byForm = {};
      entries.forEach(function (entry) {
        [entry.term, entry.term_hant].forEach(function (form) {
          if (form && form.length >= MIN_TERM_CHARS && entry.canonical) byForm[form] = entry;
        });
      });
      var forms = Object.keys(byForm).sort(function (a, b) { return b.length - a.length; });
      if (!forms.length) return;
      addStylesheet();
      var pattern = new RegExp(forms.map(escapeRegExp).join("|"), "g");
      sentences.forEach(function (sentence) {
        var walker = document.createTreeWalker(sentence, NodeFilter.SHOW_TEXT);
        var nodes = [];
        while (walker.nextNode()) nodes.push(walker.currentNode);
        nodes.forEach(function (node) { markText(node, pattern, byForm); });
      });
      if (document.querySelector(".glossary-mark")) setMarks(stored(), addToggle());
    })
    .catch(function () { /* no marks: the reader works as before */ });
})();
