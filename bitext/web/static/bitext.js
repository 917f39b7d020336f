/* bitext reader enhancements. The pages work without this file; it only adds:
   - counterpart highlighting: hovering or focusing a sentence marks every sentence with
     the same data-bead (its counterpart on the other side) with the class is-counterpart;
   - copy links: an <a data-copy> copies its full URL to the clipboard instead of following;
   - copy buttons: each element with data-copy-text (a citation) gets a "Copy" button that
     puts that text on the clipboard; without JavaScript the text is there to select;
   - the print button, which stays hidden without JavaScript;
   - sentences in one tab stop: the text has a single sentence in the tab order, the arrow
     keys move to the next or previous sentence (a roving tabindex); on a work's pages
     (.compare) each row's paragraphs share one data-bead, so a row lights up in every
     column;
   - the reader bar: "go to article", the position indicator (chapter, paragraph) and its
     height, so that a row reached by a link is not hidden under it;
   - row menus: opening one closes the others, Escape closes it. */
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

  var reader = document.querySelector(".reader, .compare");
  if (reader) {
    reader.addEventListener("keydown", function (event) {
      var keys = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
      var step = keys[event.key];
      var current = event.target.closest ? event.target.closest(".s[data-bead]") : null;
      if (!step || !current || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var all = Array.prototype.slice.call(reader.querySelectorAll(".s[data-bead]"));
      var next = all[all.indexOf(current) + step];
      if (!next) { return; }
      event.preventDefault();
      current.setAttribute("tabindex", "-1");
      next.setAttribute("tabindex", "0");
      next.focus();
    });
    reader.addEventListener("focusin", function (event) {
      var sentence = event.target.closest ? event.target.closest(".s[data-bead]") : null;
      if (!sentence) { return; }
      reader.querySelectorAll('.s[tabindex="0"]').forEach(function (el) {
        if (el !== sentence) { el.setAttribute("tabindex", "-1"); }
      });
      sentence.setAttribute("tabindex", "0");
    });
  }

  document.querySelectorAll(".row-menu").forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (!menu.open) { return; }
      document.querySelectorAll(".row-menu[open]").forEach(function (other) {
        if (other !== menu) { other.open = false; }
      });
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector(".row-menu[open]");
    if (open) { open.open = false; open.querySelector("summary").focus(); }
  });

  // Rows reached by a link start below the sticky bar, however many lines it wraps to
  // (the stylesheet's scroll-margin reads this height; its fallback fits the usual bar).
  var readerBar = document.querySelector(".reader-bar");
  var setBarHeight = function () {
    if (readerBar) {
      document.documentElement.style.setProperty("--reader-bar-height", readerBar.offsetHeight + "px");
    }
  };
  if (readerBar) {
    setBarHeight();
    if (window.ResizeObserver) { new ResizeObserver(setBarHeight).observe(readerBar); }
    // The page may have scrolled to #p12 before the height was known: scroll again.
    var showTarget = function () {
      var target = location.hash && document.getElementById(location.hash.slice(1));
      if (target && target.classList.contains("row") &&
          target.getBoundingClientRect().top < readerBar.getBoundingClientRect().bottom) {
        target.scrollIntoView();
      }
    };
    showTarget();
    window.addEventListener("load", function () { window.requestAnimationFrame(showTarget); });
  }

  function goToRow(row) {
    if (!row) { return false; }
    history.pushState(null, "", "#" + row.id);
    row.scrollIntoView();
    var summary = row.querySelector(".row-menu > summary");
    if (summary) { summary.focus({ preventScroll: true }); }
    return true;
  }

  // Picking a chapter closes the contents, which would otherwise cover the text it leads to.
  var contents = document.querySelector(".toc");
  if (contents) {
    contents.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest(".toc__item a") : null;
      if (!link) { return; }
      event.preventDefault();
      contents.open = false;
      setBarHeight();
      goToRow(document.getElementById(link.getAttribute("href").slice(1)));
    });
  }

  var jump = document.querySelector("[data-jump]");
  if (jump) {
    jump.hidden = false;
    jump.addEventListener("submit", function (event) {
      event.preventDefault();
      var number = parseInt(jump.querySelector("input").value, 10);
      var row = document.querySelector('.row[data-article="' + number + '"]');
      if (!goToRow(row)) { announce("There is no article " + jump.querySelector("input").value + " here."); }
    });
  }

  var position = document.querySelector("[data-position]");
  if (position && reader) {
    var rows = Array.prototype.slice.call(reader.querySelectorAll(".row"));
    var headings = Array.prototype.slice.call(document.querySelectorAll(".toc__item a")).map(function (a) {
      return { row: parseInt(a.getAttribute("href").slice(2), 10), label: a.textContent.trim() };
    });
    var bar = document.querySelector(".reader-bar");
    var pending = false;
    var update = function () {
      pending = false;
      var top = (bar ? bar.getBoundingClientRect().bottom : 0) + 16;  // past the rows' scroll-margin
      var low = 0, high = rows.length - 1, at = 0;
      while (low <= high) {  // the last row whose top is above the bar's bottom edge
        var middle = (low + high) >> 1;
        if (rows[middle].getBoundingClientRect().top <= top) { at = middle; low = middle + 1; } else { high = middle - 1; }
      }
      var number = at + 1;
      var heading = null;
      headings.forEach(function (h) { if (h.row <= number) { heading = h; } });
      position.textContent = (heading ? heading.label + " · " : "") + "¶ " + number + " of " + rows.length;
    };
    window.addEventListener("scroll", function () {
      if (!pending) { pending = true; window.requestAnimationFrame(update); }
    }, { passive: true });
    update();
  }

  document.querySelectorAll('[data-action="print"]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
