// Phone navigation (book/_ext/book_site.py adds this file to every page).
// pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 attach their sidebar handlers to the FIRST
// .primary-toggle / .secondary-toggle in the page: the theme navbar's button, which this layout
// hides. The visible buttons in the article header had no handler, so on a phone the menu and
// the table of contents could not be opened. Forward their clicks to the button the themes listen on.
// When the theme pins move to versions that bind every toggle, delete this file (and its
// add_js_file in book_site.py): forwarding would then toggle twice. tests/test_browser.py
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
