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

// --- The review queue: decisions with the keyboard (templates/staff/review_queue.html) ---------
// Keys: j / ArrowDown next claim, k / ArrowUp previous, a approve, r reject, d request
// documentation, n write the note (Esc leaves it), o open the claim. No key acts while the
// focus is in a field or with Ctrl, Alt or Cmd held. A rejection or a request without a note
// is stopped here with the error under the note (the server refuses it too, without script).
(() => {
  const DECISION_KEYS = { a: "approve", r: "reject", d: "request_documentation" };
  let sending = false;

  const isField = (element) =>
    element instanceof Element && element.closest("input, textarea, select, [contenteditable]");

  function showNoteError(form, message) {
    const note = form.elements.note;
    const error = form.querySelector(".errorlist");
    error.textContent = message;
    error.hidden = false;
    error.setAttribute("role", "alert");
    note.setAttribute("aria-invalid", "true");
    const described = (note.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!described.includes(error.id)) {
      note.setAttribute("aria-describedby", [error.id, ...described].join(" "));
    }
    note.focus();
  }

  // Every decision form (the queue's and a claim's page): the note first, and one send only.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches(".decision-form")) {
      return;
    }
    const decision = event.submitter ? event.submitter.value : "";
    const needed = {
      reject: form.dataset.noteRequiredReject,
      request_documentation: form.dataset.noteRequiredDocumentation,
    }[decision];
    if (needed && !form.elements.note.value.trim()) {
      event.preventDefault();
      showNoteError(form, needed);
      return;
    }
    if (sending) {
      event.preventDefault();
      return;
    }
    sending = true;
  });

  // A page come back to from the history may send again.
  window.addEventListener("pageshow", () => {
    sending = false;
  });

  document.addEventListener("DOMContentLoaded", () => {
    const queue = document.querySelector("[data-queue]");
    if (!queue) {
      return;
    }
    const rows = Array.from(queue.querySelectorAll("[data-claim]"));
    const help = document.querySelector("[data-queue-keys]");
    if (help) {
      help.hidden = false;
    }
    let current = rows.find((row) => row.classList.contains("is-current")) || rows[0];
    // The page has one decision form, in the selected row: it moves with the selection.
    const form = queue.querySelector(".decision-form");

    function clearNote() {
      const note = form.elements.note;
      const error = form.querySelector(".errorlist");
      note.value = "";
      note.removeAttribute("aria-invalid");
      error.hidden = true;
      error.textContent = "";
      error.removeAttribute("role");
      note.setAttribute(
        "aria-describedby",
        (note.getAttribute("aria-describedby") || "").replace(error.id, "").trim(),
      );
    }

    function select(row) {
      if (!row) {
        return;
      }
      if (row !== current) {
        current.classList.remove("is-current");
        current.querySelector(".queue-decide").hidden = true;
        row.classList.add("is-current");
        const decide = row.querySelector(".queue-decide");
        decide.hidden = false;
        if (form) {
          clearNote();
          form.action = row.dataset.action;
          form.elements.seen_status.value = row.dataset.status;
          form.hidden = row.hasAttribute("data-own");
          decide.querySelector("td").append(form);
        }
        current = row;
      }
      // The row takes the focus, never a decision button: keys decide, Enter does nothing.
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }

    function decide(decision) {
      if (!form || !current || !current.hasAttribute("data-decidable")) {
        return;
      }
      // After the decision, come back to the claim after this one.
      const following = rows[rows.indexOf(current) + 1];
      if (following) {
        const next = new URL(form.elements.next.value, window.location.href);
        next.searchParams.set("at", following.dataset.claim);
        form.elements.next.value = next.pathname + next.search;
      }
      form.requestSubmit(form.querySelector(`button[value="${decision}"]`));
    }

    queue.addEventListener("click", (event) => {
      const row = event.target.closest("[data-claim]");
      if (row && row !== current && !event.target.closest("a, button, textarea")) {
        select(row);
      }
    });

    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      if (isField(event.target)) {
        if (event.key === "Escape" && current && current.contains(event.target)) {
          event.preventDefault();
          select(current);
        }
        return;
      }
      const key = event.key;
      if (key === "j" || key === "ArrowDown") {
        event.preventDefault();
        select(rows[Math.min(rows.indexOf(current) + 1, rows.length - 1)]);
      } else if (key === "k" || key === "ArrowUp") {
        event.preventDefault();
        select(rows[Math.max(rows.indexOf(current) - 1, 0)]);
      } else if (key in DECISION_KEYS) {
        event.preventDefault();
        decide(DECISION_KEYS[key]);
      } else if (key === "n" && form && !form.hidden) {
        event.preventDefault();
        form.elements.note.focus();
      } else if (key === "o" && current) {
        event.preventDefault();
        current.querySelector("[data-open]").click();
      }
    });
  });
})();

// --- Submit CME: "Find the activity" follows the typing (templates/credits/entry_form.html) ---
// Without this, the search is a plain form whose button reloads the page with the results.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-activity-search]");
  const results = document.getElementById("activity-results");
  if (!form || !results) {
    return;
  }
  const input = form.elements.find;
  let timer = null;
  let asked = 0;
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const query = input.value.trim();
      const ticket = ++asked;
      const url = `${form.action}?fragment=1&find=${encodeURIComponent(query)}`;
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok && ticket === asked) {
          results.innerHTML = await response.text();
        }
      } catch (error) {
        // Offline or refused: the Find button still works.
      }
    }, 250);
  });
});

// --- A group reminder's page: follow the run (templates/staff/group_reminder_run.html) -------
// Asks the run's status every 2 seconds and moves the progress bar and the counts; once the
// run has finished, reloads the page for its final lists. Without script the page refreshes
// itself (a <noscript> meta refresh).
(() => {
  const box = document.querySelector("[data-progress-url]");
  if (!box || box.dataset.finished === "true") {
    return;
  }
  const bar = box.querySelector("progress");
  const label = box.querySelector(`label[for="${bar.id}"]`);
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.progressUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const progress = await response.json();
        bar.max = Math.max(progress.planned, 1);
        bar.value = progress.planned ? progress.handled : 1;
        bar.textContent = `${progress.handled} of ${progress.planned}`;
        label.textContent = `${progress.handled} of ${progress.planned} members handled`;
        for (const field of box.querySelectorAll("[data-progress]")) {
          field.textContent = progress[field.dataset.progress];
        }
        if (progress.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A dropped connection: try again at the next tick.
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 1000);
})();

// --- Submit CME, "Start from a certificate" (templates/credits/_start_from_certificate.html) --
// While the file uploads, the button says so and can't be pressed twice.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-certificate-read]");
  if (!form) {
    return;
  }
  form.addEventListener("submit", () => {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    button.textContent = button.dataset.readingLabel;
  });
});

// --- Reading a certificate (templates/credits/certificate_reading.html) ----------------------
// Asks every second whether the reading is done, then opens the filled-in form. Without script
// the page refreshes itself (a <noscript> meta refresh) and the server sends the member on.
(() => {
  const box = document.querySelector("[data-certificate-reading]");
  if (!box) {
    return;
  }
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const reading = await response.json();
        if (reading.next) {
          window.location.assign(reading.next);
          return;
        }
      } else if (response.status === 404) {
        window.location.reload();
        return;
      }
    } catch (error) {
      // A dropped connection: try again at the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 500);
})();
