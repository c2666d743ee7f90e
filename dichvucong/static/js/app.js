// Progressive enhancement only: every page works without JavaScript.
// Selects marked data-autosubmit submit their form on change (province → commune chooser, filters).
document.addEventListener("change", function (event) {
  var select = event.target.closest("select[data-autosubmit]");
  if (select && !select.hasAttribute("hx-get") && select.form) {
    select.form.requestSubmit();
  }
});
