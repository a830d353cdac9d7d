// Progressive enhancement: hide follow-up questions under a "no", and severity/onset unless the answer is "yes".
// Without JavaScript every question shows, marked "(if yes)", and the server asks only what is needed.
(function () {
  function value(form, name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : "";
  }
  function update(form) {
    form.querySelectorAll("fieldset.follow-up[data-parent]").forEach(function (fs) {
      fs.hidden = value(form, "answer_" + fs.dataset.parent) === "no";
    });
    form.querySelectorAll("[data-details-for]").forEach(function (el) {
      el.hidden = value(form, "answer_" + el.dataset.detailsFor) !== "yes";
    });
  }
  function init() {
    document.querySelectorAll("form.checklist").forEach(function (form) {
      form.addEventListener("change", function () { update(form); });
      update(form);
    });
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
