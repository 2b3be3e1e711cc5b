// Phone navigation, phone tables and the printed title (book/_ext/book_site.py adds this file
// to every page).
// pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 attach their sidebar handlers to the FIRST
// .primary-toggle / .secondary-toggle in the page: the theme navbar's button, which this layout
// hides. The visible buttons in the article header had no handler, so on a phone the menu and
// the table of contents could not be opened. Forward their clicks to the button the themes listen on.
// When the theme pins move to versions that bind every toggle, delete this first part (the
// file then keeps the tables part): forwarding would then toggle twice. tests/test_browser.py
// (test_phone_menu_and_contents_open) tells either way.
(function () {
  function forwardToggles() {
    ["primary-toggle", "secondary-toggle"].forEach(function (kind) {
      var buttons = document.querySelectorAll("." + kind);
      if (buttons.length < 2) return;
      var owner = buttons[0];
      for (var i = 1; i < buttons.length; i++) {
        buttons[i].addEventListener("click", function (event) {
          event.preventDefault();
          event.stopPropagation();
          owner.click();
        });
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", forwardToggles);
  } else {
    forwardToggles();
  }
})();

// Tables with a column of sentences (class long-col-N, book/_ext/book_site.py) are shown on a
// phone as one card per row (tables.css, "stacked"): each cell is labelled with its column's
// header here (data-label; a provenance badge in the header is left out; an empty cell is marked
// "empty-cell" and not shown in its card). Without this script
// the table keeps its columns and scrolls sideways. Desktop and print ignore both.
(function () {
  function headerText(th) {
    var copy = th.cloneNode(true);
    copy.querySelectorAll("sup.provenance, a.headerlink").forEach(function (e) {
      e.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  function stackTables() {
    document.querySelectorAll('article table[class*="long-col-"]').forEach(function (table) {
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head) return;
      var names = Array.prototype.map.call(head.cells, headerText);
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            if (names[i]) cell.setAttribute("data-label", names[i]);
            // an empty cell is left out of its card: "Unit" with nothing after it read as
            // the label of the next cell ("Unit Values text, unique", Table 10.1)
            if (!cell.textContent.trim()) cell.classList.add("empty-cell");
          });
        });
      });
      table.classList.add("stacked");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", stackTables);
  } else {
    stackTables();
  }
})();

// A phone table that scrolls sideways anyway lets its first column (the row labels: "95% CI of
// the median, R survfit default (log)") keep a readable width (tables.css, "wide-first"):
// squeezed to its longest word by the number columns, which do not wrap, Table 6.1's labels took
// seven lines a row. Only tables that already overflow: one that fits is left as it is.
(function () {
  function widenFirstColumns() {
    if (!window.matchMedia("(max-width: 600px)").matches) return;
    document
      .querySelectorAll("article .pst-scrollable-table-container > table")
      .forEach(function (table) {
        var box = table.parentElement;
        if (table.classList.contains("stacked") || table.classList.contains("num-col-1")) return;
        if (box.scrollWidth > box.clientWidth + 1) table.classList.add("wide-first");
      });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", widenFirstColumns);
  } else {
    widenFirstColumns();
  }
})();

// A phone table's text is as large as its column allows: 12 px, else 11.5 or 11 px, else the
// stylesheet's 0.68 em (10.9 px, at which every numbered table fits a 390 px phone; tables.css).
// At 10.9 px for every table, and chapter 10's column names (code) at 9.5 px, the text a reader
// must copy into a CSV was the smallest on the page. All tables try a size at once (one layout
// per size); a table that scrolls sideways anyway, or that is not laid out (in a closed
// dropdown: sized when it opens), is left at the floor. The size is a custom property
// (--table-px) that only the phone rules of tables.css read: paper keeps its own.
(function () {
  var SIZES = [12, 11.5, 11];
  var PHONE = "screen and (max-width: 600px)";
  function fits(table) {
    var box = table.parentElement;
    return box.scrollWidth <= box.clientWidth + 1;
  }
  function fitTables(root) {
    var tables = Array.prototype.filter.call(
      root.querySelectorAll("article table:not(.stacked)"),
      function (table) {
        table.style.removeProperty("--table-px");
        return table.getClientRects().length > 0;
      }
    );
    if (!window.matchMedia(PHONE).matches) return;
    var left = tables.filter(fits); // those that scroll at the floor stay there
    SIZES.forEach(function (px) {
      left.forEach(function (table) {
        table.style.setProperty("--table-px", px + "px");
      });
      left = left.filter(function (table) {
        return !fits(table);
      });
    });
    left.forEach(function (table) {
      table.style.removeProperty("--table-px");
    });
  }
  function start() {
    fitTables(document);
    document.addEventListener(
      "toggle",
      function (event) {
        if (event.target.open) fitTables(event.target);
      },
      true
    );
    // a phone turned sideways (not the address bar hiding, which changes only the height)
    var wait,
      width = window.innerWidth;
    window.addEventListener("resize", function () {
      if (window.innerWidth === width) return;
      width = window.innerWidth;
      clearTimeout(wait);
      wait = setTimeout(function () {
        fitTables(document);
      }, 150);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// A provenance badge ("published", "determined", "assumed") says what it means in its title,
// which a phone never shows: each badge becomes a link to chapter 01's "Where each number comes
// from". book/_ext/book_site.py puts that link, as seen from this page, once in the page
// (p.provenance-legend's data-legend): written into every badge it took chapter 08's HTML over
// its budget. Without this script a badge keeps its title only.
(function () {
  function linkBadges() {
    var legend = document.querySelector("article p.provenance-legend[data-legend]");
    if (!legend) return;
    var href = legend.getAttribute("data-legend");
    document.querySelectorAll("article sup.provenance").forEach(function (badge) {
      if (badge.closest("a")) return;
      var link = document.createElement("a");
      link.className = "provenance-link";
      link.href = href;
      badge.parentNode.insertBefore(link, badge);
      link.appendChild(badge);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", linkBadges);
  } else {
    linkBadges();
  }
})();

// Print: sphinx-book-theme prints its own copy of the page title (#jb-print-docs-body) and hides
// the article's, so a printed chapter lost its number ("Baseline characteristics: Table 1", not
// "4. Baseline characteristics: Table 1") while its contents list reads "4.1 …". The article
// title's section number is copied into the printed title.
(function () {
  function numberPrintTitle() {
    var printed = document.querySelector("#jb-print-docs-body > h1");
    var number = document.querySelector("article h1 > .section-number");
    if (!printed || !number || printed.querySelector(".section-number")) return;
    printed.insertBefore(number.cloneNode(true), printed.firstChild);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", numberPrintTitle);
  } else {
    numberPrintTitle();
  }
})();
