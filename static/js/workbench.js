// Workbench: a button that selects (or clears) every contribution on the page; without JavaScript the
// checkboxes work one by one, so the button stays hidden.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-select-all]")) {
    const boxes = () => Array.from(document.querySelectorAll(`input[type=checkbox][name="${button.dataset.selectAll}"]`));
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", () => {
      const all = boxes();
      const select = all.some((box) => !box.checked);
      for (const box of all) box.checked = select;
      button.textContent = select ? button.dataset.clearLabel : label;
    });
  }
});
