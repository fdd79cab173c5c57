/* mineban: small enhancements. Every page works without this file. */
(function () {
  "use strict";

  // The "as of" form submits itself once a full, plausible date is picked.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    var input = form.querySelector('input[type="date"]');
    if (!input) return;
    var initial = input.value;
    input.addEventListener("change", function () {
      var value = input.value;
      if (value && value !== initial && /^(19|20)\d\d-\d\d-\d\d$/.test(value)) {
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  });
})();
