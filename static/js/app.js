/* Site-wide behaviour without inline handlers (the Content-Security-Policy forbids them):
   a form or button with data-confirm asks before it submits. */
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var text = (button && button.dataset.confirm) || form.dataset.confirm;
  if (text && !window.confirm(text)) event.preventDefault();
}, true);
