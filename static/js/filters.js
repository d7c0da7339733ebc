// Progressive enhancement of the project filters: a choice in a facet or the sort order
// updates the list at once. Without JavaScript the "Show projects" button does the same.
document.querySelectorAll("form.filter-form").forEach((form) => {
  form.classList.add("filter-form--live");
  form.addEventListener("change", (event) => {
    if (event.target.matches("input[type=checkbox], select")) {
      form.requestSubmit();
    }
  });
});
