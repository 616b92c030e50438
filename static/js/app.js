/* Site-wide behaviour without inline handlers (the Content-Security-Policy forbids them):
   a form or button with data-confirm asks before it submits. */
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var text = (button && button.dataset.confirm) || form.dataset.confirm;
  if (text && !window.confirm(text)) event.preventDefault();
}, true);

/* Phones: the navigation folds behind a 菜单 button that shows every link the role has. */
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".menu-toggle");
  if (!button) return;
  var open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", open ? "true" : "false");
  document.getElementById(button.getAttribute("aria-controls")).classList.toggle("open", open);
});
