// Code cells are collapsible (MyST-NB's hide-input toggle on every code cell) and shown open:
// the reader hides them with the button above each cell.
document.addEventListener("DOMContentLoaded", () => {
  for (const d of document.querySelectorAll("details.hide.above-input")) d.open = true;
});
