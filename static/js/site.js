// The little script the pages need; everything works without it.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// After an error, put the focus where the error is: a form's error summary (it links to each
// field in error), else the field in error, else the message itself. Never a button that
// would decide something.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  const invalid = summary || document.querySelector("[aria-invalid='true']");
  const message = document.querySelector("[data-focus-on-load]");
  const target = invalid || message;
  if (target && document.activeElement !== target) {
    target.focus();
  }
});
