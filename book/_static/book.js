// Phone navigation, tables (cards, sideways scrolling, links to their notes) and the printed
// title (book/_ext/book_site.py adds this file to every page).
// pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 attach their sidebar handlers to the FIRST
// .primary-toggle / .secondary-toggle in the page: the theme navbar's button, which this layout
// hides. The visible buttons in the article header had no handler, so on a phone the menu and
// the table of contents could not be opened. Forward their clicks to the button the themes listen on.
// When the theme pins move to versions that bind every toggle, delete this first part (the
// file then keeps the tables part): forwarding would then toggle twice. tests/test_browser.py
// (test_phone_menu_and_contents_open) tells either way.
// Run fn once the page is parsed (at once when it already is): every part below starts so, in
// the order of this file.
function bookOnReady(fn) {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fn);
  } else {
    fn();
  }
}

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
  bookOnReady(forwardToggles);
})();

// On a phone the page's contents (and the site navigation) open in a drawer, a modal <dialog>
// over three quarters of the screen. Tapping one of its sections scrolled the page behind it and
// left the drawer open, so the reader saw none of the section until tapping beside the drawer. A
// link to a place on this page now closes the drawer first; the page then goes to the place (its
// address gets the section's #, as before). The theme's own "close" handler (it gives the focus
// back to the button that opened the drawer) runs before this one, so the jump is not undone.
(function () {
  function samePage(link) {
    return (
      link.hash &&
      link.origin === location.origin &&
      link.pathname === location.pathname &&
      link.search === location.search
    );
  }
  function closeOnJump() {
    ["pst-primary-sidebar-modal", "pst-secondary-sidebar-modal"].forEach(function (id) {
      var dialog = document.getElementById(id);
      if (!dialog || typeof dialog.close !== "function") return;
      dialog.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest("a[href]");
        if (!link || !dialog.open || !samePage(link)) return;
        event.preventDefault();
        var hash = link.hash;
        dialog.addEventListener(
          "close",
          function () {
            var target = document.getElementById(decodeURIComponent(hash.slice(1)));
            if (location.hash === hash && target) target.scrollIntoView();
            else location.hash = hash;
          },
          { once: true }
        );
        dialog.close();
      });
    });
  }
  bookOnReady(closeOnJump);
})();

// A numeric range ("0.071–0.865", "8.7–11.0 months", "(1.7–348,100)") never breaks at its en
// dash: on a phone one line ended "0.071–" and the next began "0.865", and in Table 4.1 (text
// cells) "333.4 (1.7–" ended a line over "348,100)". Each goes into span.range (book.css: no
// wrap); its text is unchanged, so is a copy of it. Done here rather than in the HTML: a span per
// range weighed up to 0.6 KB a chapter (chapter 8, at its budget, quotes some 120 intervals).
// Code, maths, headings and a numeric cell's interval (book_site.py's span.ci) are left alone.
// Likewise, in span.value: a value and its spread, "1.6 ± 2.3" or "13,242.6 ± 48,407.3", a
// header's "mean ± SD", a note's "median ± 1.96·SE", and a fraction and what it comes to,
// "46/82 = 56.1%" (at 390 px chapter 4's prose broke "1.6 ± / 2.3", Table 4.2 "72.6 / ± 75.9"
// and its header "mean ± / SD", chapter 5's prose "DCR 46/82 = / 56.1%"), and in the prose a
// number hyphened to a word, "5-fluorouracil" (a table has a no-break hyphen there), and a named
// level and its letter or digit, "class A", "stage C" (Table 4.1's first column on a phone had
// put "Child-Pugh class" over a lone "A", "B" and "C"). Whatever
// its length: Table 4.2, whose "13,242.6 ± 48,407.3†" no phone column holds beside three others,
// is cards on a phone (":class: phone-cards" in chapter 4). This runs before the tables are
// measured (below), which then see the cells as they are drawn.
(function () {
  var NUMBER = "\\d(?:[\\d.,]*\\d)?";
  var RANGE = NUMBER + "–" + NUMBER;
  var SPREAD = "[\\w.,·%]*[\\w%]\\s?±\\s?[\\w.,·%]*[\\w%]"; // "1.6 ± 2.3", "mean ± SD"
  var VALUE = SPREAD + "|" + NUMBER + "/" + NUMBER + "\\s?=\\s?[−-]?" + NUMBER + "%?";
  var COMPOUND = "(?<![\\w.,-])\\d+-[A-Za-z]+";
  var LEVEL = "\\b(?:class|stage|grade|score) [A-D0-9]\\b"; // "Child-Pugh class A"
  var IN_PROSE = new RegExp("(" + VALUE + "|" + COMPOUND + "|" + LEVEL + ")|" + RANGE, "g");
  var IN_TABLE = new RegExp("(" + VALUE + "|" + LEVEL + ")|" + RANGE, "g");
  // a spread of words rather than numbers, "median ± 1.96·SE", "mean ± SD" (span.value.formula:
  // a row label's may wrap on a small phone, tables.css)
  var FORMULA = /[A-Za-z]\S*\s?±|±\s?\S*[A-Za-z]/;
  var SKIP =
    "pre, code, .math, mjx-container, h1, h2, h3, h4, h5, span.range, span.value, span.ci, script, style";
  function keepRangesWhole() {
    var article = document.querySelector("article.bd-article");
    if (!article) return;
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        if (!/[–±=]|\d-[A-Za-z]|(?:class|stage|grade|score) [A-D0-9]/.test(node.nodeValue))
          return NodeFilter.FILTER_REJECT;
        var parent = node.parentElement;
        return parent && !parent.closest(SKIP) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    var found = [];
    while (walker.nextNode()) found.push(walker.currentNode);
    found.forEach(function (node) {
      var text = node.nodeValue, last = 0, match, part = document.createDocumentFragment();
      var pattern = node.parentElement.closest("table") ? IN_TABLE : IN_PROSE;
      pattern.lastIndex = 0;
      while ((match = pattern.exec(text))) {
        if (match.index > last) part.appendChild(document.createTextNode(text.slice(last, match.index)));
        var span = document.createElement("span");
        span.className = match[1] ? "value" : "range";
        var at = match[1] && FORMULA.test(match[0]) ? match[0].indexOf("±") : -1;
        if (at > 0) {
          // its "± 1.96·SE" stays whole: the formula may break before the ±, never after it
          span.classList.add("formula");
          var tail = document.createElement("span");
          tail.textContent = match[0].slice(at);
          span.appendChild(document.createTextNode(match[0].slice(0, at)));
          span.appendChild(tail);
        } else {
          span.textContent = match[0];
        }
        part.appendChild(span);
        last = match.index + match[0].length;
      }
      if (last === 0) return;
      if (last < text.length) part.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(part, node);
    });
  }
  bookOnReady(keepRangesWhole);
})();

// Tables with a column of sentences (class long-col-N, book/_ext/book_site.py) are shown on a
// phone as one card per row (tables.css, "stacked"): each cell is labelled with its column's
// header here (data-label; a provenance badge in the header is left out; an empty cell is marked
// "empty-cell" and not shown in its card). Without this script
// the table keeps its columns and scrolls sideways. Desktop and print ignore both.
// A table a chapter asks to show as cards on a phone (":class: phone-cards" on its {table}) is
// stacked the same way, though no column holds sentences: Table 9.2, a row label and four
// estimates with their intervals, was 402 px wide at 12 px in a 358 px column and could not be
// fitted (the intervals, "(0.69–2.26)", do not break), so its last column scrolled out of view;
// so was Table 1.6 (a term and four estimates, 421 px; 377 px fitted).
// Each cell is labelled with its column's header; the row's label heads its card (tables.css).
// In such a card a header's provenance badge is kept: copied (span.card-badge) after the column's
// name in each cell of its column, shown only in a card (Table 4.2's "mean ± SD" is determined,
// its median and skewness assumed). A short bracket of a name, "[min–max]", "(95% CI)", stays on
// one line: the label "median (IQR) [min–max]" broke after its en dash.
(function () {
  function headerText(th) {
    var copy = th.cloneNode(true);
    copy.querySelectorAll("sup.provenance, a.headerlink").forEach(function (e) {
      e.remove();
    });
    return copy.textContent
      .replace(/\s+/g, " ")
      .trim()
      .replace(/[(\[][^()\[\]]{1,16}[)\]]/g, function (bracket) {
        return bracket.replace(/ /g, "\u00a0").replace(/–/g, "\u2060–\u2060");
      });
  }
  function stackTables() {
    var tables = 'article table[class*="long-col-"], article table.phone-cards';
    document.querySelectorAll(tables).forEach(function (table) {
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head) return;
      var names = Array.prototype.map.call(head.cells, headerText);
      var badges = Array.prototype.map.call(head.cells, function (th) {
        return table.classList.contains("phone-cards") && th.querySelector("sup.provenance");
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            if (names[i]) cell.setAttribute("data-label", names[i]);
            // an empty cell is left out of its card: "Unit" with nothing after it read as
            // the label of the next cell ("Unit Values text, unique", Table 10.1)
            if (!cell.textContent.trim()) cell.classList.add("empty-cell");
            else if (i > 0 && badges[i]) {
              var chip = document.createElement("span");
              chip.className = "card-badge";
              chip.appendChild(badges[i].cloneNode(true));
              cell.insertBefore(chip, cell.firstChild);
            }
          });
        });
      });
      table.classList.add("stacked");
    });
  }
  bookOnReady(stackTables);
})();

// A column "Class" that holds one provenance badge a row (Tables 6.1-6.3 and 7.1, analysis.book)
// goes, on a phone, under each row's label: the badge is copied into the row's first cell
// (span.row-class), the column's name under the first header ("Variable" over "Class"), and
// the column is not shown (tables.css,
// "class-under-label"). As a column of its own (85 px at 390 px) it made Table 7.1 438 px wide
// and 6.3 398 px in a 358 px column, and both scrolled sideways; 6.1 and 6.2 fitted only with
// their labels squeezed to 70 px (seven lines a row). Wider screens and paper keep the column.
// Run before the tables are measured (below) and before the badges become links (further down).
// A column of a few short word labels that repeat down the table (Table 1.5's "Model":
// "univariate" / "multivariable"; Table 1.4's "Calibration": "hit" / "infeasible") is copied
// the same way (span.row-label, its cells "label-cell"), but goes under the row labels only
// when the table would otherwise scroll sideways on a phone ("label-under", below).
(function () {
  var WORDS = /^[A-Za-z][A-Za-z ()-]*$/; // words only: no number, no ✓ / ✗, no badge
  function badgeOnly(cell) {
    var badges = cell.querySelectorAll("sup.provenance");
    var text = cell.textContent.trim();
    return text === "" || (badges.length === 1 && text === badges[0].textContent.trim());
  }
  // the copy goes at the end of the first cell (in its paragraph): the column's name under the
  // first header ("Variable" / "Class"), each row's badge or label under its label
  function put(cell, content, kind) {
    var copy = document.createElement("span");
    copy.className = kind;
    copy.appendChild(content);
    var last = cell.lastElementChild;
    (last && last.tagName === "P" ? last : cell).appendChild(copy);
  }
  // the first column after the row labels whose cells are each one of at most three short word
  // labels, each used at least twice (-1 if none): not a number column, nor a verdict's mark
  function labelColumn(table, head, rows) {
    for (var k = 1; k < head.length; k++) {
      if (table.classList.contains("num-col-" + (k + 1)) || head[k].classList.contains("class-cell")) continue;
      var seen = {};
      var ok = rows.every(function (r) {
        var text = r.cells[k].textContent.trim();
        seen[text] = (seen[text] || 0) + 1;
        return text.length <= 16 && WORDS.test(text) && !r.cells[k].querySelector("sup, a, code");
      });
      var labels = Object.keys(seen);
      if (ok && labels.length <= 3 && labels.every(function (l) { return seen[l] >= 2; })) return k;
    }
    return -1;
  }
  function labelsUnderLabels(table, head, rows) {
    var k = labelColumn(table, head, rows);
    if (k < 1) return;
    head[k].classList.add("label-cell");
    put(head[0], document.createTextNode(head[k].textContent.trim()), "row-label");
    rows.forEach(function (r) {
      r.cells[k].classList.add("label-cell");
      put(r.cells[0], document.createTextNode(r.cells[k].textContent.trim()), "row-label");
    });
    table.setAttribute("data-label-column", String(k));
  }
  function classesUnderLabels() {
    document.querySelectorAll("article table").forEach(function (table) {
      if (table.classList.contains("stacked") || !table.tHead || table.tHead.rows.length !== 1) {
        return;
      }
      if (!table.tBodies.length || table.querySelector("td[rowspan], th[rowspan], td[colspan], th[colspan]")) {
        return;
      }
      var head = table.tHead.rows[0].cells;
      var rows = [];
      Array.prototype.forEach.call(table.tBodies, function (body) {
        rows = rows.concat(Array.prototype.slice.call(body.rows));
      });
      if (!rows.length || !rows.every(function (r) { return r.cells.length === head.length; })) return;
      var k = Array.prototype.findIndex.call(head, function (th) {
        return th.textContent.trim() === "Class";
      });
      var ok = k >= 1 && rows.every(function (r) { return badgeOnly(r.cells[k]); });
      if (!ok || !rows.some(function (r) { return r.cells[k].querySelector("sup.provenance"); })) {
        labelsUnderLabels(table, head, rows);
        return;
      }
      head[k].classList.add("class-cell");
      put(head[0], document.createTextNode(head[k].textContent.trim()), "row-class");
      rows.forEach(function (r) {
        var cell = r.cells[k];
        cell.classList.add("class-cell");
        var badge = cell.querySelector("sup.provenance");
        if (badge) put(r.cells[0], badge.cloneNode(true), "row-class");
      });
      table.classList.add("class-under-label");
      labelsUnderLabels(table, head, rows);
    });
  }
  bookOnReady(classesUnderLabels);
})();

// A table wider than its column scrolls sideways inside its own container (tables.css), never
// the page: on a phone its text stays at 12 px (tables.css) instead of shrinking to fit, as it
// did down to 10.9 px (Tables 7.5 and 9.1; 1.3, 1.4, 3.8, 9.2 and 9.3 at 11 px). Such a table
// is marked "scrolls": its caption says that it scrolls, its first column (the row labels) stays
// in view while the rest moves under it ("sticky-first", unless a cell spans rows or columns),
// with a shadow at its edge once the table is scrolled ("scrolled"; tables.css). On a phone its
// first column also keeps a readable width ("wide-first", tables.css): squeezed to its longest
// word by the number columns, which do not wrap, Table 6.1's labels took seven lines a row.
// A table in a closed dropdown is not laid out: it is measured when the dropdown opens. Paper
// ignores all of it (book.css prints every table whole).
(function () {
  var PHONE = "screen and (max-width: 600px)";
  var FIT = 60; // px: a table at most this much too wide for a phone is fitted, not scrolled
  // Scrolled, the table comes to rest with a whole column at the edge of the columns kept in
  // view, never a column's end beside it ("96" of 0.996): each column's start is a snap point
  // (tables.css), and the table gets the room after its last column (a margin, "--snap-end") that lets
  // its last scroll position be such a point too.
  function snapColumns(table, box, row) {
    var fixed = table.classList.contains("sticky-second") ? 2 : 1;
    var left = table.getBoundingClientRect().left;
    var edge = row.cells[fixed - 1].getBoundingClientRect().right - left;
    var end = box.scrollWidth - box.clientWidth;
    var extra = 0;
    for (var i = fixed; i < row.cells.length; i++) {
      var start = row.cells[i].getBoundingClientRect().left - left - edge;
      if (start >= end - 0.5) {
        extra = Math.max(0, start - end);
        break;
      }
    }
    table.style.setProperty("--snap-end", Math.ceil(extra) + "px");
    box.style.setProperty("scroll-padding-left", edge + "px");
  }
  // A long table that does not scroll sideways keeps its header row in view under the page's
  // header while the reader scrolls through its rows ("sticky-head", tables.css): Table 7.5
  // (3,514 px tall on a phone) has two "HR (95% CI) | P" pairs, univariate and multivariable,
  // which mid-table could not be told apart. Any table with one header row and 15 rows or more
  // (or taller than one and a half windows), at every width: with a window-height rule alone,
  // Tables 1.6 (30 rows), 4.1, 6.3 and 8.1 lost their header at 1366 x 768 but kept it on a
  // phone. Not a table that scrolls sideways: a box that scrolls sideways ("overflow-x: auto")
  // scrolls up and down too, a sticky cell sticks to that box, which never scrolls up or down,
  // and the header would stay where it is (such a table keeps its row labels in view instead,
  // "sticky-first"). Nor one inside any other box that clips or scrolls, except a dropdown,
  // whose "overflow: hidden" (sphinx-design, for its rounded corners) becomes "clip"
  // (tables.css), which clips the same but scrolls nothing (Tables 1.11, 7.6, 7.7, 8.2, 8.3).
  function stickHead(table, box) {
    if (!table.tHead || table.tHead.rows.length !== 1) return;
    var cells = table.tHead.rows[0].cells;
    // under 375 px Tables 7.5-7.7 are laid out as a grid ("label-rows", tables.css), their
    // header in two lines: the label column's cell, then the others under it, which stick that
    // much lower ("--head-second")
    var display = getComputedStyle(table).display;
    var grid = display === "grid" && table.classList.contains("label-rows") && cells.length > 1;
    if (display !== "table" && !grid) return;
    var rows = table.tBodies[0] ? table.tBodies[0].rows.length : 0;
    if (rows < 15 && table.getBoundingClientRect().height < 1.5 * window.innerHeight) return;
    for (var e = box.parentElement; e && e !== document.body; e = e.parentElement) {
      if (e.matches("details.sd-dropdown")) continue;
      var style = getComputedStyle(e);
      if (!/^(visible|clip)$/.test(style.overflowX) || !/^(visible|clip)$/.test(style.overflowY)) return;
    }
    var header = document.querySelector(".bd-header-article");
    var top = 0;
    if (header && getComputedStyle(header).position === "sticky") {
      top = Math.round(header.getBoundingClientRect().height);
    }
    // The header cells' top border is the table's (its borders collapse), and the table paints
    // it where the row was, not where a cell sticks: a stuck cell left its top 1 px unpainted,
    // and the rows scrolling under the page's header showed through it (Table 7.5's "· 61 (47)"
    // in a strip under the header at 390 px). The cells stick that border higher, under the
    // page's header, which covers it.
    top -= cells[0].clientTop;
    table.style.setProperty("--head-top", top + "px");
    if (grid) {
      var second = cells[1].getBoundingClientRect().top - cells[0].getBoundingClientRect().top;
      table.style.setProperty("--head-second", Math.max(0, Math.round(second)) + "px");
    }
    table.classList.add("sticky-head");
  }
  function markTables(root) {
    var phone = window.matchMedia(PHONE).matches;
    root
      .querySelectorAll("article .pst-scrollable-table-container > table")
      .forEach(function (table) {
        if (!table.getClientRects().length) return;
        var box = table.parentElement;
        table.classList.remove("sticky-head");
        table.style.removeProperty("--head-top");
        table.style.removeProperty("--head-second");
        // a table of cards on a phone ("stacked") names each value in its card and has no header
        // row to keep; wider, it is a table like any other, its header kept (Tables 8.2, 8.3, 10.1)
        if (table.classList.contains("stacked")) {
          if (box.scrollWidth <= box.clientWidth + 1) stickHead(table, box);
          return;
        }
        table.classList.remove("scrolls", "sticky-first", "sticky-second", "wide-first", "fit", "fit-in-column", "label-under");
        table.style.removeProperty("--second-left");
        table.style.removeProperty("--snap-end");
        box.style.removeProperty("scroll-padding-left");
        var over = box.scrollWidth - box.clientWidth;
        if (over <= 1) return stickHead(table, box);
        var fits = function () {
          return box.scrollWidth <= box.clientWidth + 1;
        };
        // on a phone a table only a little too wide (Tables 6.1, 6.2 and 9.1 by 34-40 px, 7.4 by
        // 22, 9.3 by 18) is fitted instead, with narrower gaps between its cells ("fit")
        // (first within the text's margins, "fit-in-column"; only if it must, the table takes half
        // of them, tables.css: at 360 px Tables 9.3 and 9.5, which fit the 328 px column fitted,
        // reached 8 px from the screen's edges, outside the text's 16)
        if (phone && over <= FIT) {
          table.classList.add("fit", "fit-in-column");
          if (fits()) return stickHead(table, box);
          table.classList.remove("fit-in-column");
          if (fits()) return stickHead(table, box);
          table.classList.remove("fit");
        }
        // else its column of short labels, if it has one (above), goes under the row labels
        // ("label-under"), with narrower gaps if need be: at 390 px Table 1.4 was 28 px too wide
        // at 12 px (its "Calibration", "hit" or "infeasible") and 1.5 24 px (its "Model"); each
        // was still 9 px too wide fitted, and scrolled sideways
        if (phone && table.hasAttribute("data-label-column")) {
          table.classList.add("label-under");
          if (fits()) return stickHead(table, box);
          table.classList.add("fit", "fit-in-column");
          if (fits()) return stickHead(table, box);
          table.classList.remove("fit-in-column");
          if (fits()) return stickHead(table, box);
          table.classList.remove("label-under", "fit");
        }
        table.classList.add("scrolls");
        if (phone && !table.classList.contains("num-col-1")) table.classList.add("wide-first");
        var row = table.tBodies[0] && table.tBodies[0].rows[0];
        if (!table.querySelector("td[rowspan], th[rowspan], td[colspan], th[colspan]") && row) {
          table.classList.add("sticky-first");
          // a second column of short labels, no numbers in it, that says which row this is
          // (Table 1.5's "univariate" / "multivariable", which at 390 px now goes under the row
          // labels instead, above) stays in view too, when the two leave half of the box to scroll
          var cells = row.cells;
          var labels = Array.prototype.every.call(table.tBodies[0].rows, function (r) {
            return r.cells.length > 1 && !/\d/.test(r.cells[1].textContent);
          });
          if (
            cells.length >= 4 &&
            labels &&
            !table.classList.contains("num-col-2") &&
            cells[0].getBoundingClientRect().width + cells[1].getBoundingClientRect().width <=
              0.55 * box.clientWidth
          ) {
            table.style.setProperty("--second-left", cells[0].getBoundingClientRect().width + "px");
            table.classList.add("sticky-second");
          }
          snapColumns(table, box, row);
        }
        if (!box.dataset.watched) {
          box.dataset.watched = "1";
          box.addEventListener(
            "scroll",
            function () {
              box.firstElementChild.classList.toggle("scrolled", box.scrollLeft > 0);
            },
            { passive: true }
          );
        }
        table.classList.toggle("scrolled", box.scrollLeft > 0);
      });
  }
  function start() {
    markTables(document);
    document.addEventListener(
      "toggle",
      function (event) {
        if (event.target.open) markTables(event.target);
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
        markTables(document);
      }, 150);
    });
  }
  bookOnReady(start);
})();

// A ✗ with a note's number ("✗³", analysis.book: glue_table, glue_table2) links to its note
// under the table, and the note links back to the mark the reader came from: in the 46 and 54
// rows of Tables 7.4 and 7.5 a note was up to 40 rows (a dozen phone screens) below its row.
// The note and the row are highlighted when reached (tables.css); the mark's title holds the
// note (a tooltip on a desktop) and describes it to a screen reader. Done here, not in the
// HTML: the ids and links of chapter 7's 61 marks and notes (about 15 KB) would take its page
// (191 KB) over its 200 KB budget (tests/test_browser.py). Without this script the marks and
// notes are plain text, as on paper.
(function () {
  var DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  var MARK = /✗([⁰¹²³⁴⁵⁶⁷⁸⁹]+)/g;
  var NOTE = /^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s/;
  function number(sup) {
    return sup
      .split("")
      .map(function (c) {
        return DIGITS.indexOf(c);
      })
      .join("");
  }
  // the paragraphs of notes after a table's container: each line one note ("³ …"), lines
  // separated by <br>, or one paragraph a note; stop at the next table or heading. A window
  // of four siblings missed Table 7.3's notes ³ and ⁴ once a note on the whole table and one
  // paragraph per note came before them: unwrapped, they were split between printed sheets.
  function noteParagraphs(table) {
    var found = [];
    var el = table.parentElement.classList.contains("pst-scrollable-table-container")
      ? table.parentElement
      : table;
    for (var n = el.nextElementSibling; n; n = n.nextElementSibling) {
      if (/^(TABLE|SECTION|H[1-6])$/.test(n.tagName) || n.querySelector("table")) break;
      if (n.tagName === "P" && NOTE.test(n.textContent)) found.push(n);
    }
    return found;
  }
  // wrap each note of a paragraph in span.table-note#<table>-note-<n>; returns {n: span}
  function wrapNotes(p, prefix, notes) {
    var lines = [[]];
    Array.prototype.slice.call(p.childNodes).forEach(function (node) {
      if (node.nodeName === "BR") lines.push([]);
      else lines[lines.length - 1].push(node);
    });
    lines.forEach(function (nodes) {
      var text = nodes
        .map(function (n) {
          return n.textContent;
        })
        .join("");
      var m = NOTE.exec(text);
      if (!m) return;
      var n = number(m[1]);
      if (notes[n]) return;
      var span = document.createElement("span");
      span.className = "table-note";
      span.id = prefix + "-note-" + n;
      nodes[0].parentNode.insertBefore(span, nodes[0]);
      nodes.forEach(function (node) {
        span.appendChild(node);
      });
      var back = document.createElement("a");
      back.className = "note-back";
      back.href = "#" + prefix + "-mark-" + n;
      back.setAttribute("aria-label", "Back to the table row of note " + n);
      back.textContent = "↩\uFE0E";
      span.appendChild(document.createTextNode(" "));
      span.appendChild(back);
      notes[n] = span;
    });
  }
  function linkMarks(table, prefix, notes) {
    var texts = [];
    var walk = document.createTreeWalker(table.tBodies[0] || table, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      if (MARK.test(walk.currentNode.nodeValue)) texts.push(walk.currentNode);
      MARK.lastIndex = 0;
    }
    var seen = {};
    texts.forEach(function (node) {
      var value = node.nodeValue,
        at = 0,
        m,
        parts = document.createDocumentFragment();
      MARK.lastIndex = 0;
      while ((m = MARK.exec(value))) {
        var n = number(m[1]);
        var note = notes[n];
        if (!note) continue;
        parts.appendChild(document.createTextNode(value.slice(at, m.index)));
        var a = document.createElement("a");
        a.className = "note-mark";
        seen[n] = (seen[n] || 0) + 1;
        a.id = prefix + "-mark-" + n + (seen[n] > 1 ? "-" + seen[n] : "");
        a.href = "#" + note.id;
        a.title = note.textContent.replace(/\s*↩\uFE0E?$/, "").replace(/\s+/g, " ").trim();
        a.setAttribute("aria-describedby", note.id);
        a.textContent = m[0];
        parts.appendChild(a);
        at = m.index + m[0].length;
      }
      if (!at) return;
      parts.appendChild(document.createTextNode(value.slice(at)));
      node.parentNode.replaceChild(parts, node);
    });
  }
  function linkNotes() {
    document.querySelectorAll("article table[id]").forEach(function (table) {
      var notes = {};
      noteParagraphs(table).forEach(function (p) {
        wrapNotes(p, table.id, notes);
      });
      if (Object.keys(notes).length) linkMarks(table, table.id, notes);
      // a note whose number no ✗ mark carries (Table 7.3's "cannot all come from one model¹")
      // gets no "↩": there is no mark for it to lead back to
      Object.keys(notes).forEach(function (n) {
        if (document.getElementById(table.id + "-mark-" + n)) return;
        var back = notes[n].querySelector("a.note-back");
        if (back && back.previousSibling) notes[n].removeChild(back.previousSibling);
        if (back) notes[n].removeChild(back);
      });
    });
    // a note's "↩" returns to the mark the reader followed (a note may serve several rows)
    document.addEventListener("click", function (event) {
      var mark = event.target.closest && event.target.closest("a.note-mark");
      if (!mark) return;
      var back = document.querySelector(mark.getAttribute("href") + " > a.note-back");
      if (back) back.href = "#" + mark.id;
    });
  }
  bookOnReady(linkNotes);
})();

// The header's full-screen button (sphinx-book-theme's toggleFullScreen) asks the browser's
// Fullscreen API for the page, which Safari on an iPhone does not offer (only a video goes full
// screen there): on the phone a reader is most likely to hold, a tap on it did nothing. Where
// the browser has no way to put the page in full screen the button is not shown.
(function () {
  function hideFullScreen() {
    var root = document.documentElement;
    var able =
      (document.fullscreenEnabled && typeof root.requestFullscreen === "function") ||
      (document.webkitFullscreenEnabled && typeof root.webkitRequestFullscreen === "function");
    if (able) return;
    document.querySelectorAll(".btn-fullscreen-button").forEach(function (button) {
      button.hidden = true;
      button.style.setProperty("display", "none", "important");
    });
  }
  bookOnReady(hideFullScreen);
})();

// Search results: Sphinx's searchtools quotes each page's text around the first place a query
// word occurs, reading the theme's whole main block. That block begins with the download
// menu's ".ipynb .md .pdf", the print-only title with the page's contents and the contents
// sidebar, and ends with the previous/next links and the footer: a search for "hazard ratio"
// quoted chapter 7's contents list ("Contents 7.1. The model the paper fitted 7.2. What the
// hazard ratios imply ..."), not a sentence, and so for most words of a section title. The
// page's own text (the article) is what is quoted now. Without this script, or with a Sphinx
// whose search has no such function, the search is Sphinx's own.
(function () {
  if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
  var AROUND_THE_ARTICLE = [
    ".bd-header-article",
    "#jb-print-docs-body",
    ".bd-sidebar-secondary",
    ".prev-next-footer",
    ".bd-footer-content",
    ".bd-footer",
  ].join(", ");
  var sphinxText = Search.htmlToText;
  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(AROUND_THE_ARTICLE).forEach(function (el) {
      el.remove();
    });
    return sphinxText(doc.documentElement.outerHTML, anchor);
  };
  // Sphinx centres the extract on the first place the last (stemmed) query word occurs, inside
  // another word too: "hazard ratio" quoted chapter 1 around "calibration". The extract is
  // centred on the query as typed where the page has it, else on the first word of the page that
  // begins with the longest of its words (or their stems); Sphinx's own choice otherwise.
  if (typeof Search.makeSearchSummary !== "function") return;
  var sphinxSummary = Search.makeSearchSummary;
  function escaped(word) {
    return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  Search.makeSearchSummary = function (htmlText, keywords, anchor) {
    var text = Search.htmlToText(htmlText, anchor).replace(/\s+/g, " ").trim();
    var query = (new URLSearchParams(window.location.search).get("q") || "")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
    var lower = text.toLowerCase();
    var at = query ? lower.indexOf(query) : -1;
    // else the longest word that begins a word of the page ("immortal", not "time")
    var words = query
      .split(" ")
      .concat(Array.from(keywords || []))
      .filter(Boolean)
      .sort(function (a, b) {
        return b.length - a.length;
      });
    for (var i = 0; at < 0 && i < words.length; i++) {
      var m = new RegExp("(^|[^\\p{L}\\p{N}])" + escaped(words[i].toLowerCase()), "u").exec(lower);
      if (m) at = m.index + m[1].length;
    }
    if (at < 0) return sphinxSummary(htmlText, keywords, anchor);
    var start = Math.max(at - 120, 0);
    var summary = document.createElement("p");
    summary.classList.add("context");
    summary.textContent =
      (start ? "..." : "") +
      text.substr(start, 240).trim() +
      (start + 240 < text.length ? "..." : "");
    return summary;
  };
})();

// A provenance badge ("published", "determined", "assumed") says what it means in its title,
// which a phone never shows: each badge becomes a link to chapter 1's "Where each number comes
// from". book/_ext/book_site.py puts that link, as seen from this page, once in the page
// (p.provenance-legend's data-legend): written into every badge it took chapter 8's HTML over
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
  bookOnReady(linkBadges);
})();

// Print: paper is printed in the light theme. A reader who had switched the theme to dark (its
// colour-mode button) and printed a chapter (the download menu's ".pdf", or the browser's Print)
// got the dark theme's light grey words on white paper (the print stylesheet whitens the page;
// a browser leaves out background colours by default), or, with backgrounds, black sheets. The
// theme is set to light while printing and given back afterwards; the reader's choice (the
// theme's storage) is not touched.
(function () {
  var given = null;
  window.addEventListener("beforeprint", function () {
    var root = document.documentElement;
    if (root.dataset.theme === "dark") {
      given = root.dataset.theme;
      root.dataset.theme = "light";
    }
  });
  window.addEventListener("afterprint", function () {
    if (given) document.documentElement.dataset.theme = given;
    given = null;
  });
})();

// Print: a figure's caption and its "In this figure" line print BESIDE its image (book.css): the
// image prints 420 px wide in a 688 px line, and below it the caption and the line pushed the
// tall figures (Figs 6.2, 7.1) to a new sheet, the sheet before 50-73 % blank. The line is
// in the output after the figure (analysis.book glues it there, p.figure-provenance); it is moved
// into the figure, after the caption, so that the two can sit together beside the image. On a
// screen it looks as before, under the caption (book.css). Without this script the line prints
// under the figure, as before.
(function () {
  function lineIntoFigure() {
    document.querySelectorAll("article figure").forEach(function (figure) {
      var caption = figure.querySelector(":scope > figcaption");
      var next = figure.nextElementSibling;
      var line = next && next.matches("div.output") && next.querySelector(":scope > p.figure-provenance");
      if (!caption || !line) return;
      figure.insertBefore(line, caption.nextSibling);
      figure.classList.add("has-provenance");
    });
  }
  bookOnReady(lineIntoFigure);
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
  bookOnReady(numberPrintTitle);
})();

// Print: a handout says where its page is online. Its solutions, its long tables and its
// downloads are "not printed; see ...", and the book has no fixed address (it is served from
// wherever it was built or copied). tools/pdf.py --base-url (window.BOOK_PRINT_ROOT) gives the
// address where the book is published: each printed page gets a line under its title, on paper
// only (book.css); in tools/pdf.py's book.pdf each page's article (section[data-page], its path
// from the book's root) its own. A page printed from a public address (a reader's own "Print")
// prints that address. One printed from this machine (127.0.0.1, localhost, a file) prints no
// address, which no reader of the handout could open ("make pdf" without PDF_BASE_URL printed
// "http://127.0.0.1:42681/..."): its pointers name the chapter and section of the HTML book
// instead (window.bookPrintWhere, data-print-where below; book.css).
(function () {
  function line(href) {
    var p = document.createElement("p");
    p.className = "print-address";
    p.appendChild(document.createTextNode("Online version of this page: "));
    var a = document.createElement("a");
    a.href = href;
    a.textContent = href;
    p.appendChild(a);
    return p;
  }
  // the page's address: "path" (from the book's root) under the root it is printed for
  function address(path) {
    var own = document.documentElement.getAttribute("data-content_root");
    var local = own === null ? null : new URL(own || "./", location.href).href;
    var url = new URL(location.href);
    url.hash = "";
    if (path === undefined) {
      if (!local || url.href.indexOf(local) !== 0) return url.href;
      path = url.href.slice(local.length);
    }
    var base = window.BOOK_PRINT_ROOT ? String(window.BOOK_PRINT_ROOT).replace(/\/?$/, "/") : local;
    if (!window.BOOK_PRINT_ROOT && isLocal(url)) return null;
    return base ? new URL(path, base).href : null;
  }
  // an address only this machine can open
  function isLocal(url) {
    if (url.protocol === "file:") return true;
    var host = url.hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || host === "0.0.0.0" || /^127\./.test(host);
  }
  // the number a heading prints ("9.7"), or null
  function numberOf(heading) {
    var n = heading && heading.querySelector(".section-number");
    return n ? n.textContent.trim().replace(/\.$/, "") : null;
  }
  // Where the reader of a handout finds what it leaves out (the element "el"): "this chapter's
  // web page, §9.7 (its address is under the title)" when an address is printed; otherwise "the
  // HTML book, chapter 9, §9.7" (the innermost numbered section around el), or the page's
  // title where the page has no number ("the HTML book, page "Glossary"").
  window.bookPrintWhere = function (el) {
    var page = el.closest("section.book-print-page") || document;
    var printed = page.querySelector("p.print-address");
    var section = null;
    for (var s = el.closest("section"); s && !section; s = s.parentElement.closest("section")) {
      var h = s.querySelector(":scope > h2, :scope > h3, :scope > h4");
      if (numberOf(h)) section = numberOf(h);
    }
    var h1 = page.querySelector("article h1, section.book-print-page h1");
    var chapter = numberOf(h1);
    var at = section ? ", \u00a7" + section : "";
    if (printed) return "this chapter's web page" + at + " (its address is under the title)";
    if (chapter) return "the HTML book, chapter " + chapter + at;
    var title = h1 ? h1.textContent.replace(/#$/, "").trim() : document.title;
    return "the HTML book, page \u201c" + title + "\u201d" + at;
  };
  // the attribute book.css prints in a solution's line and a long table's bar
  function markPointers() {
    document
      .querySelectorAll("div.solution > p.admonition-title, details.sd-dropdown > summary .sd-summary-text")
      .forEach(function (el) {
        el.setAttribute("data-print-where", window.bookPrintWhere(el));
      });
  }
  function addAddresses() {
    var pages = document.querySelectorAll("section.book-print-page[data-page]");
    if (pages.length) {
      pages.forEach(function (section) {
        var href = address(section.getAttribute("data-page"));
        if (href && !section.querySelector("p.print-address")) {
          // under the page's title, as in a handout (book.css prints the title in the book)
          var h1 = section.querySelector("h1");
          if (h1) h1.insertAdjacentElement("afterend", line(href));
          else section.insertBefore(line(href), section.firstChild);
        }
      });
      markPointers();
      return;
    }
    var href = address();
    var title = document.querySelector("#jb-print-docs-body > h1");
    var article = document.querySelector("article.bd-article");
    if (href && !document.querySelector("p.print-address")) {
      if (title) title.insertAdjacentElement("afterend", line(href));
      else if (article) article.insertBefore(line(href), article.firstChild);
    }
    markPointers();
  }
  bookOnReady(addAddresses);
})();

// On paper a code cell folded away on the web page ("Show code cell source": the set-up cell
// that imports the package and loads the cohort, the code of a figure) is printed open, small
// (book.css): the printed cells after it call the names it defines ("from analysis import …"
// had been left out of every handout). A cell longer than LONG lines prints its import lines
// only, and says where the rest is (window.bookPrintWhere: the web page or the HTML book's section).
(function () {
  var LONG = 40;
  // Splits a (highlighted) pre's lines into <span class="print-statement"> blocks, one per
  // top-level statement; a token spanning lines (a docstring) stays whole in its line.
  function statementBlocks(pre) {
    var lines = [[]];
    Array.prototype.slice.call(pre.childNodes).forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        var parts = node.textContent.split("\n");
        parts.forEach(function (part, i) {
          if (i > 0) lines.push([]);
          if (part) lines[lines.length - 1].push(document.createTextNode(part));
        });
      } else {
        lines[lines.length - 1].push(node);
      }
    });
    var text = function (line) {
      return line.map(function (n) { return n.textContent; }).join("");
    };
    while (lines.length && !text(lines[lines.length - 1]).trim()) lines.pop();
    var blocks = [], depth = 0;
    lines.forEach(function (line) {
      var t = text(line);
      var opens = depth === 0 && /^[^\s)\]}#]/.test(t);
      if (!blocks.length || opens) blocks.push([]);
      blocks[blocks.length - 1].push(line);
      var bare = t.replace(/(["'])(?:\\.|(?!\1).)*\1/g, "").replace(/#.*$/, "");
      depth = Math.max(0, depth + (bare.match(/[([{]/g) || []).length - (bare.match(/[)\]}]/g) || []).length);
    });
    while (pre.firstChild) pre.removeChild(pre.firstChild);
    blocks.forEach(function (block) {
      var span = document.createElement("span");
      span.className = "print-statement";
      block.forEach(function (line) {
        line.forEach(function (n) { span.appendChild(n); });
        span.appendChild(document.createTextNode("\n"));
      });
      pre.appendChild(span);
    });
  }
  function noteLongCells() {
    document.querySelectorAll("div.cell.tag_hide-input").forEach(function (cell) {
      var pre = cell.querySelector(".cell_input pre");
      if (!pre || cell.querySelector(":scope > .print-source")) return;
      var lines = pre.textContent.replace(/\s+$/, "").split("\n");
      if (lines.length <= LONG) {
        // printed whole from a copy outside the <details>: Chromium does not break a page inside
        // an opened <details>, so 06's 30-line set-up cell went whole to the next sheet and left
        // half of sheet 2 blank. The copy keeps the highlighting (div.highlight) and may break.
        // Each top-level statement (a line at column 0 and the lines that continue it: indented
        // body, open brackets) is a block that is not split, so a sheet never ends on "for …:"
        // with the loop's body on the next.
        var copy = document.createElement("div");
        copy.className = "print-copy";
        var box = (pre.closest("div.highlight") || pre).cloneNode(true);
        var copied = box.tagName === "PRE" ? box : box.querySelector("pre");
        if (copied) statementBlocks(copied);
        copy.appendChild(box);
        cell.classList.add("print-whole");
        cell.insertBefore(copy, cell.firstChild);
        return;
      }
      var imports = lines.filter(function (l) {
        return /^(from|import)\s/.test(l);
      });
      var note = document.createElement("pre");
      note.className = "print-source";
      note.textContent =
        imports.join("\n") +
        (imports.length ? "\n" : "") +
        "# … and " +
        (lines.length - imports.length) +
        " more lines: for the rest of this cell see " +
        (window.bookPrintWhere ? window.bookPrintWhere(cell) : "the HTML book");
      cell.classList.add("long-source");
      cell.insertBefore(note, cell.firstChild);
    });
  }
  bookOnReady(noteLongCells);
})();

// On a phone a line of code with no space (a chained call, a long keyword argument) wrapped
// where it ran out of room, inside a name ("feasibility_summar|y", "book_c|ohort"). A line may
// now also break after a dot, an opening bracket, a comma or "=" (a <wbr>: no character, so the
// copy button and a selection copy the code as written); the break inside a name stays the last
// resort. So does a call in the prose (inline code): at 390 px Exercise 4.2 broke
// "cohort["ast_u_l"].d|ropna()" and Exercise 7.1 "prior_tace_g|t4". A dot between digits
// ("0.9") is no place to break.
(function () {
  var MARK = /[.([{,=]/;
  var NO_BREAK_BEFORE = /^[\s)\]},.]?$|^[\s)\]},]/;
  var DIGIT = /[0-9]/;
  function breakable(pre) {
    var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node, k) {
      var text = node.textContent;
      if (text.search(MARK) < 0) return;
      var after = k + 1 < nodes.length ? nodes[k + 1].textContent.charAt(0) : "";
      var frag = document.createDocumentFragment();
      var last = 0;
      for (var i = 0; i < text.length; i++) {
        if (!MARK.test(text.charAt(i))) continue;
        var next = i + 1 < text.length ? text.charAt(i + 1) : after;
        if (NO_BREAK_BEFORE.test(next)) continue;
        if (text.charAt(i) === "." && i > 0 && DIGIT.test(text.charAt(i - 1)) && DIGIT.test(next)) continue;
        frag.appendChild(document.createTextNode(text.slice(last, i + 1)));
        frag.appendChild(document.createElement("wbr"));
        last = i + 1;
      }
      if (last === 0) return;
      frag.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(frag, node);
    });
  }
  function run() {
    document
      .querySelectorAll("article div.cell_input div.highlight > pre, article div[class*='highlight-']:not(.output) > div.highlight > pre")
      .forEach(function (pre) {
        // not an API page's examples, which keep their lines (book.css): Chromium breaks a
        // line at a <wbr> even where white-space is "pre"
        if (!pre.closest("dl.py dd")) breakable(pre);
      });
    // inline code in the prose; not an API page's signatures and fields (dl.py: book.css breaks
    // them anywhere on a phone) nor a title (below)
    document.querySelectorAll("article code.literal").forEach(function (code) {
      if (!code.closest("dl.py, h1")) breakable(code);
    });
  }
  bookOnReady(run);
})();

// A module page's title, "Privacy: analysis.privacy", breaks on a phone after the dot of the
// dotted name only (a <wbr>; book.css no longer breaks it anywhere): it broke inside the name,
// "analysis.privac|y", on 14 of the 23 API pages at 390 px.
(function () {
  function titles() {
    document.querySelectorAll("article h1 code").forEach(function (code) {
      var walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      nodes.forEach(function (node) {
        var parts = node.textContent.split(/(?<=\.)(?=[^.\s])/);
        if (parts.length < 2) return;
        var frag = document.createDocumentFragment();
        parts.forEach(function (part, i) {
          if (i) frag.appendChild(document.createElement("wbr"));
          frag.appendChild(document.createTextNode(part));
        });
        node.parentNode.replaceChild(frag, node);
      });
    });
  }
  bookOnReady(titles);
  // and so does a function's signature on an API page: after its module's dotted name and after
  // its opening bracket or a parameter's "=" (a <wbr>), besides the spaces after its commas; book.css breaks a name only
  // when it cannot fit a line of its own ("missing_columns(coh|ort, columns)" at 390 px)
  function signatures() {
    document
      .querySelectorAll(
        "article dl.py > dt.sig > span.sig-prename, article dl.py > dt.sig > span.sig-paren, " +
          "article dl.py > dt.sig > em.sig-param > span.o",
      )
      .forEach(function (span) {
        if (span.classList.contains("sig-paren") && span.textContent !== "(") return;
        span.after(document.createElement("wbr"));
      });
    // a default value without a space is one word ("tol=1e-12" broke at its hyphen)
    document.querySelectorAll("article dl.py > dt.sig > em.sig-param > span.default_value").forEach(function (span) {
      if (/\s/.test(span.textContent) || span.textContent.length > 30) return;
      [span].concat(Array.prototype.slice.call(span.querySelectorAll("*"))).forEach(function (e) {
        e.style.whiteSpace = "nowrap"; // its span.pre too (book.css: "normal" on a phone)
      });
    });
  }
  bookOnReady(signatures);
})();

// An exercise's solution is folded under its title, "Solution to Exercise 5.1", which opens it
// (sphinx-togglebutton listens on the whole title). "Exercise 5.1" in the title is a link to the
// exercise, just above: a tap on those words (a third of the title on a phone) jumped to the
// exercise, left the solution shut, and threw "button is not defined" in togglebutton.js (its
// handler finds no button for a click on a link; once another toggle had been used it toggled
// that one instead). A click on a link in a folding title now opens or shuts its own block, as a
// click beside the words does (tests/test_browser.py:
// test_a_tap_on_a_solutions_title_opens_it_even_on_its_link).
(function () {
  function toggleFromTitleLink(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    var title = link && link.closest(".admonition.toggle > .admonition-title");
    var button = title && title.querySelector(".toggle-button");
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    button.click();
  }
  // capturing, so it runs before the title's own handler, which the event then never reaches
  bookOnReady(function () {
    document.addEventListener("click", toggleFromTitleLink, true);
  });
})();

// The site navigation's "▾" that folds a page's sub-pages (the API reference's 23 module pages)
// is a <summary> holding only an icon (pydata-sphinx-theme's markup): a screen reader announced
// it as nothing but "disclosure triangle", with no word of what it opens (axe: summary-name).
// Each is named after the entry it folds.
(function () {
  function nameNavToggles() {
    document
      .querySelectorAll(".bd-sidebar-primary li.has-children > details > summary")
      .forEach(function (summary) {
        var link = summary.parentNode.parentNode.querySelector(":scope > a");
        if (summary.textContent.trim() || summary.hasAttribute("aria-label") || !link) return;
        summary.setAttribute("aria-label", "Pages of " + link.textContent.trim());
      });
  }
  bookOnReady(nameNavToggles);
})();

// Keyboard and screen-reader fixes (an accessibility pass, tests/test_browser.py):
//  - the search dialog (Ctrl+K or the magnifier) gave the focus back to nothing when Escape closed
//    it on a phone (the header's magnifier there), so the next Tab began again at the top of the
//    page: the focus goes back to the control that opened it;
//  - a table with no caption (an API page's summary of its functions, a table in a docstring,
//    the general index's columns) had no name: it is named after what it lists.
// how long before the search dialog opens its opener may have lost the focus (book.js above)
// (the magnifier's, on a phone: 27 ms)
var BOOK_OPENER_MS = 300;
(function () {
  function refocusAfterSearch() {
    var dialog = document.getElementById("pst-search-dialog");
    if (!dialog) return;
    // the magnifier loses the focus before the dialog opens (so the browser has nothing to give
    // it back to): the last control that lost the focus outside the dialog is the one, if it
    // lost it as the dialog opened. One that lost it long before (a "Show code" clicked, then a
    // click in the text, then Ctrl+K far down the page) is not: focused again, it pulled the
    // page back to it (6000 px up), and the reader lost their place.
    var lost = null;
    var lostAt = -Infinity;
    var opener = null;
    document.addEventListener(
      "focusout",
      function (event) {
        if (dialog.contains(event.target)) return;
        lost = event.target;
        lostAt = Date.now();
      },
      true
    );
    new MutationObserver(function () {
      if (dialog.open) opener = Date.now() - lostAt < BOOK_OPENER_MS ? lost : null;
    }).observe(dialog, { attributes: true, attributeFilter: ["open"] });
    dialog.addEventListener("close", function () {
      var back = opener;
      opener = null;
      setTimeout(function () {
        var now = document.activeElement;
        // as the browser gives a dialog's opener its focus back: without scrolling the page
        if (back && back.isConnected && (!now || now === document.body)) {
          back.focus({ preventScroll: true });
        }
      });
    });
  }
  // An API page's summary table is named after what it lists, as its rows' entries below say
  // (dl.py function, class, exception, data): it was "Functions and classes of …" on every
  // page, also where the summary lists constants (analysis.formatting's EN_DASH, LINE_WIDTH).
  function bookSummaryName(table) {
    var words = {
      function: "functions",
      class: "classes",
      exception: "exceptions",
      data: "constants",
      attribute: "constants",
    };
    var order = ["functions", "classes", "exceptions", "constants"];
    var found = {};
    table.querySelectorAll("a[href^='#']").forEach(function (link) {
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      var entry = target && target.closest("dl.py");
      if (!entry) return;
      Object.keys(words).forEach(function (kind) {
        if (entry.classList.contains(kind)) found[words[kind]] = true;
      });
    });
    var kinds = order.filter(function (kind) { return found[kind]; });
    if (!kinds.length) return "Summary";
    var last = kinds.pop();
    var text = kinds.length ? kinds.join(", ") + " and " + last : last;
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  function nameTables() {
    var title = document.querySelector("article h1");
    var page = title ? title.textContent.replace(/#$/, "").trim() : document.title;
    document
      .querySelectorAll("article table:not([aria-label]):not([aria-labelledby])")
      .forEach(function (table) {
        if (table.querySelector(":scope > caption")) return;
        var name;
        var api = table.closest("dl.py > dd");
        var sig = api && api.previousElementSibling;
        var fn = sig && sig.querySelector(".sig-name");
        if (table.classList.contains("autosummary")) name = bookSummaryName(table) + " of " + page;
        else if (fn) name = "Table of " + fn.textContent.trim();
        else if (table.classList.contains("indextable")) {
          var letter = table.previousElementSibling;
          name = page + (letter && letter.tagName === "H2" ? ": " + letter.textContent.trim() : "");
        } else {
          var section = table.closest("section");
          var heading = section && section.querySelector(":scope > h1, :scope > h2, :scope > h3");
          name = heading ? heading.textContent.replace(/#$/, "").trim() : page;
        }
        table.setAttribute("aria-label", name);
      });
  }
  bookOnReady(function () {
    refocusAfterSearch();
    nameTables();
  });
})();

// A code cell's printed output keeps its lines on a phone and scrolls sideways (book.css): a
// printed table's columns stay aligned. An output with nothing to align wraps there instead
// (class "prose" on its div.output, book.css): at 390 px its lines were cut at the box's edge,
// mid-number ("inconsistent — SE 0.446, z 2.38, P ≈ 0.01", chapter 8; "AST: HR 1.0110 per U/L,
// 0.63 for > 40 vs ≤ 4", chapter 7), the rest seen only by a reader who thought to scroll.
// An output is tabular, and keeps its lines, when it has two or more lines (blank ones not
// counted) and one of them
//   - has a run of two or more spaces (or a tab) between two characters after its first one
//     ("spss    median 9.9", chapter 6; "hit           96", a printed data frame's rows), or
//   - begins with a space that is not a hanging indent (a data frame's header, a right-aligned
//     number: see bookHangingIndents), or
//   - is a pandas footer ("dtype: int64", "[5 rows x 3 columns]");
// or any line has a box-drawing or block character (U+2500-U+259F) or a tab. A single line
// has nothing to align with and wraps even with a run of spaces (chapter 9's "naive: 0.54
// (0.31–0.93)   time-varying: 1.25 (0.69–2.26)"). Without this script every output keeps
// its lines, as before. tests/test_browser.py: test_code_wraps_and_printed_output_keeps_its_
// lines_on_a_phone, test_a_small_phone_wraps_printed_sentences.
function bookTabularOutput(text) {
  if (/[\u2500-\u259f\t]/.test(text)) return true;
  var lines = text.split("\n").filter(function (line) {
    return line.trim();
  });
  if (lines.length < 2) return false;
  var hanging = bookHangingIndents(lines);
  return lines.some(function (line) {
    return (
      /\S {2,}\S/.test(line) ||
      (/^\s/.test(line) && !hanging) ||
      /^(Name: .*, )?(Length: \d+, )?dtype: \S+$/.test(line.trim()) ||
      /^\[\d+ rows x \d+ columns\]$/.test(line.trim())
    );
  });
}

// The indents of a printed message are hanging indents, not columns, when they step in by
// BOOK_HANG (the two spaces of analysis.formatting.wrapped) under the line above, or step back
// out to an indent already in use: the first line starts at the margin, and each line's indent
// is the line above's plus two spaces (a wrapped line's continuation, an item under its
// heading) or that of a line it is nested in. Chapter 3's BMI warning, chapter 4's "mean − 2
// SD" note and chapter 10's validator messages (their items "  - …", each continued under it)
// were cut at the box's edge on a 390-px phone. A data frame's header ("   a  b") or a
// right-aligned number (" 12" over "100") does not start at the margin.
var BOOK_HANG = 2;
function bookHangingIndents(lines) {
  var open = [0];
  return lines.every(function (line, i) {
    var lead = line.length - line.replace(/^ +/, "").length;
    if (!i && lead) return false; // the first line starts at the margin
    if (/^\s/.test(line.slice(lead))) return false; // a tab or another space
    if (lead === open[open.length - 1] + BOOK_HANG) {
      open.push(lead);
      return true;
    }
    while (open.length && open[open.length - 1] > lead) open.pop();
    return open.length > 0 && open[open.length - 1] === lead;
  });
}

// The lines of an output wrapped by analysis.formatting.wrapped are at most BOOK_LINE
// characters (LINE_WIDTH): a line continues the one above when its indent is that line's
// message's plus BOOK_HANG and its first word would not have fitted at the end of the line
// above (wrapped fills each line as far as it goes). On a phone (book.css) each message is a
// block (span.hang) that wraps with its continuation lines under its first word, as printed,
// and the line breaks between its lines (span.join) are one space: at 390 px the 80-character
// lines of chapter 10's validator wrapped again into ragged halves ("…), ages" alone on a
// line). So on a wide screen, where 80 characters are wider than the text column at 1280 px
// (706 px in 688: 03's BMI warning scrolled, 10's lines wrapped again with "or" alone on a
// line); the output is marked "hanging" (book.css). The text, and what a reader copies, are
// unchanged; on paper, and without this script, each line is drawn as printed.
// A line that opens an item ("- ", "* ", "• ") is an item, never the continuation of the line
// above: under a heading of 79 or 80 characters ("/home/…/cohort_2025.csv: 5 problems" with a
// long path) chapter 10's first item was joined to the heading, and read as its end.
var BOOK_LINE = 80;
var BOOK_ITEM = /^[-*•] /;
function bookHangMessages(pre) {
  var plain = Array.prototype.every.call(pre.childNodes, function (node) {
    return node.nodeType === Node.TEXT_NODE || !node.textContent;
  });
  if (!plain) return false;
  var text = pre.textContent;
  var lines = text.split("\n");
  var tail = ""; // what follows the last line with words: "\n" and the blank lines, as printed
  while (lines.length && !lines[lines.length - 1].trim()) tail = "\n" + lines.pop() + tail;
  if (!lines.some(function (line) { return /^ /.test(line); })) return false;
  var messages = [];
  lines.forEach(function (line) {
    var lead = line.length - line.replace(/^ +/, "").length;
    var last = messages[messages.length - 1];
    var above = last && last.lines[last.lines.length - 1];
    var word = line.slice(lead).split(" ")[0];
    if (
      last &&
      line.trim() &&
      lead === last.lead + BOOK_HANG &&
      !BOOK_ITEM.test(line.slice(lead)) &&
      Array.from(above).length + 1 + Array.from(word).length > BOOK_LINE
    ) {
      last.lines.push(line);
    } else {
      messages.push({ lead: lead, lines: [line] });
    }
  });
  while (pre.firstChild) pre.removeChild(pre.firstChild);
  messages.forEach(function (message, i) {
    var span = document.createElement("span");
    span.className = "hang";
    span.style.setProperty("--hang", message.lead + BOOK_HANG + "ch");
    message.lines.forEach(function (line, j) {
      if (j) {
        var lead = line.length - line.replace(/^ +/, "").length;
        var join = document.createElement("span");
        join.className = "join";
        join.textContent = "\n" + line.slice(0, lead);
        span.appendChild(join);
        line = line.slice(lead);
      }
      span.appendChild(document.createTextNode(line));
    });
    if (i < messages.length - 1 || tail) span.appendChild(document.createTextNode("\n"));
    pre.appendChild(span);
  });
  if (tail.length > 1) pre.appendChild(document.createTextNode(tail.slice(1)));
  return true;
}

// In a wrapped output a comparison stays with its number (span.keep, book.css): chapter 8's
// "P ≈ 0.017" broke after its "≈" at 390 px. So does a hyphenated name of BOOK_KEEP_WORD
// characters at most: at 360 px chapter 4's "PIVKA-II" broke after its hyphen, "PIVKA-" at
// the end of a line and "II)" on the next (a longer one, a path or an address, may still break
// there: kept whole it would overflow the box). Its text is unchanged (the copy button's).
var BOOK_KEEP_WORD = 20;
(function () {
  var KEEP = /(?:\bP )?[=<>≈≤≥] [−+-]?\d+(?:[.,]\d+)*|[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu;
  function keepComparisons(pre) {
    var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.textContent;
      var frag = document.createDocumentFragment();
      var last = 0;
      text.replace(KEEP, function (match, at) {
        if (/^[\p{L}\p{N}]/u.test(match) && Array.from(match).length > BOOK_KEEP_WORD) return match;
        var span = document.createElement("span");
        span.className = "keep";
        span.textContent = match;
        frag.appendChild(document.createTextNode(text.slice(last, at)));
        frag.appendChild(span);
        last = at + match.length;
        return match;
      });
      if (last === 0) return;
      frag.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(frag, node);
    });
  }
  function markProse() {
    document.querySelectorAll("article div.cell_output div.output").forEach(function (out) {
      var pre = out.querySelector("pre");
      if (!pre || bookTabularOutput(pre.textContent)) return;
      out.classList.add("prose");
      if (bookHangMessages(pre)) out.classList.add("hanging");
      keepComparisons(pre);
    });
  }
  bookOnReady(markProse);
})();

// What a reader copies from a message joined on screen (div.output.hanging) is the text as
// printed: the browser copied a selection as drawn, each line break between a message's lines
// (span.join) a space ("…the formatter of the book continued"). The copy button copies the
// text itself, and so does this, for a selection inside one output.
document.addEventListener("copy", function (event) {
  var selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount || !event.clipboardData) return;
  var range = selection.getRangeAt(0);
  var node = range.commonAncestorContainer;
  var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  var pre = element && element.closest("div.output.hanging pre");
  if (!pre) return;
  event.clipboardData.setData("text/plain", range.cloneContents().textContent);
  event.preventDefault();
});

// The site navigation on a wide screen (a sticky column, the theme's "top: 0; height: 100vh"):
// under the announcement and the header (112 px at 1366 x 900) its last 112 px were below the
// window until the page was scrolled, and the theme, finding the current chapter's link below
// half the window, scrolled the column by 201 px at once (from 25 % of its height), cutting the
// book's title in half under the header's search field; the position was then remembered for
// the next pages. The column is as tall as the part of the window it is in (--book-sidebar-top,
// its top edge, 0 once the header has scrolled away: book.css), and is scrolled only as far as
// the current link needs to be in view, and then past the whole title, never into it. A
// position the reader scrolled to (the theme keeps it for the session) is left as it is.
(function () {
  function fitSidebar() {
    var bar = document.querySelector(".bd-sidebar-primary");
    if (!bar) return;
    var root = document.documentElement;
    var pending = false;
    function fit() {
      pending = false;
      if (getComputedStyle(bar).position !== "sticky") {
        root.style.removeProperty("--book-sidebar-top");
        return;
      }
      var top = Math.max(0, Math.round(bar.getBoundingClientRect().top));
      root.style.setProperty("--book-sidebar-top", top + "px");
    }
    function later() {
      if (!pending) {
        pending = true;
        requestAnimationFrame(fit);
      }
    }
    fit();
    window.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later);
    if (getComputedStyle(bar).position !== "sticky") return;
    if (!isNaN(parseInt(sessionStorage.getItem("sidebar-scroll-top"), 10))) return;
    var nav = bar.querySelector(".bd-docs-nav");
    var current = nav && nav.querySelectorAll(".active");
    if (!current || !current.length) return;
    var link = current[current.length - 1];
    var brand = bar.querySelector(".navbar-brand");
    var barTop = bar.getBoundingClientRect().top - bar.scrollTop;
    var linkBottom = link.getBoundingClientRect().bottom - barTop;
    // in view with a quarter of the column under it, where the column is long enough
    var need = linkBottom - bar.clientHeight * 0.75;
    if (need <= 0) {
      bar.scrollTop = 0;
      return;
    }
    var brandBottom = brand ? brand.getBoundingClientRect().bottom - barTop : 0;
    // The column comes to rest with an entry's top at its top edge, never a slice of one: at
    // 1366 x 768 chapter 7 opened scrolled by 204 px, the first entry (the book's home link,
    // two lines) cut in half under the header, and chapter 10 by 474, chapter 2's link cut. The
    // column is scrolled to the top of the first entry at or after the position wanted (the
    // current link then rises by less than an entry, and the quarter under it leaves it in
    // view); where the column cannot scroll that far (its end in view), to the last entry top
    // it can reach that keeps the current link and not the title in view.
    var tops = Array.prototype.map
      .call(bar.querySelectorAll(".navbar-brand, .bd-docs-nav p.caption, .bd-docs-nav li"), function (e) {
        return e.getBoundingClientRect().top - barTop;
      })
      .sort(function (a, b) {
        return a - b;
      });
    var max = bar.scrollHeight - bar.clientHeight;
    var want = Math.min(Math.max(need, brandBottom), max);
    var low = Math.max(brandBottom, linkBottom - bar.clientHeight);
    var at = tops.filter(function (t) {
      return t >= want - 0.5 && t <= max + 0.5;
    })[0];
    if (at === undefined) {
      at = tops
        .filter(function (t) {
          return t >= low - 0.5 && t <= max + 0.5;
        })
        .pop();
    }
    bar.scrollTop = Math.ceil(at === undefined ? want : at);
  }
  // after the theme's own scrolling (pydata-sphinx-theme.js, deferred after this file, scrolls
  // the column when it runs): once every deferred script has run
  var done = false;
  function once() {
    if (done) return;
    done = true;
    fitSidebar();
  }
  if (document.readyState === "complete") once();
  else {
    document.addEventListener("DOMContentLoaded", once);
    window.addEventListener("load", once);
  }
})();

// sphinx-copybutton's buttons (a copy icon, its words only in a tooltip, "data-tooltip") have no
// name of their own: Chromium takes one from the icon's SVG <title> ("Copy to clipboard"), which
// not every browser and screen reader reads as the button's name (a review's checker found
// none). Each is named so explicitly (aria-label), in the icon's own words: a name must hold the
// words a control carries ("Copy code" failed test_note_links_and_folded_cells_say_what_they_are).
// copybutton.js adds them on DOMContentLoaded from a listener set while the page is parsed, so
// before this file's (deferred, its listener later); if ClipboardJS is not there yet it tries
// again every 250 ms: named again on load, and a button added after that gets its name when it
// first gets the focus or the pointer.
(function () {
  function name(button) {
    if (button.getAttribute("aria-label")) return;
    var title = button.querySelector("svg title");
    button.setAttribute("aria-label", (title && title.textContent.trim()) || "Copy to clipboard");
  }
  function nameAll() {
    document.querySelectorAll("button.copybtn").forEach(name);
  }
  function late(event) {
    var button = event.target.closest && event.target.closest("button.copybtn");
    if (button) name(button);
  }
  bookOnReady(nameAll);
  window.addEventListener("load", nameAll);
  document.addEventListener("focusin", late, true);
  document.addEventListener("pointerover", late, true);
})();
