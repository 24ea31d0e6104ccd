/* The platform's own behaviour. The Content-Security-Policy allows no inline script and no
   inline event handler (onclick=...): a template marks an element with a data attribute and
   this file, loaded on every page, wires it up. */
(function () {
  "use strict";
  // After a failed submit, start at the error summary (templates/bootstrap5/errors.html).
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) {
      return;
    }
    if (target.dataset.action === "print") {
      event.preventDefault();
      window.print();
    }
  });
})();
