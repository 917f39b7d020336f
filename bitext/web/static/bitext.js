/* bitext reader enhancements. The pages work without this file; it only adds:
   - counterpart highlighting: hovering or focusing a sentence marks every sentence with
     the same data-bead (its counterpart on the other side) with the class is-counterpart;
   - copy links: an <a data-copy> copies its full URL to the clipboard instead of following;
   - copy buttons: each element with data-copy-text (a citation) gets a "Copy" button that
     puts that text on the clipboard; without JavaScript the text is there to select;
   - the print button, which stays hidden without JavaScript. */
(function () {
  "use strict";

  var HIGHLIGHT = "is-counterpart";
  var hovered = null;
  var focused = null;
  var lit = [];

  function beadOf(node) {
    var span = node && node.closest ? node.closest("[data-bead]") : null;
    return span ? span.getAttribute("data-bead") : null;
  }

  function refresh() {
    lit.forEach(function (el) { el.classList.remove(HIGHLIGHT); });
    lit = [];
    [hovered, focused].forEach(function (bead) {
      if (bead === null) { return; }
      document.querySelectorAll('[data-bead="' + CSS.escape(bead) + '"]').forEach(function (el) {
        el.classList.add(HIGHLIGHT);
        lit.push(el);
      });
    });
  }

  function track(setter) {
    return function (event) { setter(event); refresh(); };
  }

  document.addEventListener("mouseover", track(function (e) { hovered = beadOf(e.target); }));
  document.addEventListener("mouseout", track(function (e) { hovered = beadOf(e.relatedTarget); }));
  document.addEventListener("focusin", track(function (e) { focused = beadOf(e.target); }));
  document.addEventListener("focusout", track(function () { focused = null; }));

  var status = document.querySelector(".copy-status");
  var statusTimer = null;

  function announce(text) {
    if (!status) { return; }
    status.textContent = text;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () { status.textContent = ""; }, 4000);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-copy]") : null;
    if (!link || !navigator.clipboard || !window.isSecureContext) { return; }
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    var url = new URL(link.getAttribute("href"), window.location.href).href;
    navigator.clipboard.writeText(url).then(function () {
      if (link.hash && link.pathname === window.location.pathname) {
        history.replaceState(null, "", link.hash);
      }
      announce("Link copied: " + url);
    }, function () {
      window.location.href = url;  // no clipboard permission: behave like a plain link
    });
  });

  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("[data-copy-text]").forEach(function (holder) {
      var button = document.createElement("button");
      var label = holder.getAttribute("data-copy-label");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      if (label) {
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = " the " + label;
        button.appendChild(hidden);
      }
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(holder.getAttribute("data-copy-text")).then(function () {
          announce("Citation copied.");
        }, function () {
          announce("Could not copy: select the citation and copy it by hand.");
        });
      });
      holder.appendChild(button);
    });
  }

  document.querySelectorAll('[data-action="print"]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
