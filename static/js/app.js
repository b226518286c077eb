// The workspace's scripts. Kept out of the pages: the Content-Security-Policy runs no inline script.
(function () {
  "use strict";
  // The language switch submits itself when a language is chosen (the button is there without JS).
  var language = document.getElementById("language");
  if (language) {
    language.addEventListener("change", function () { language.form.submit(); });
  }

  // The main navigation at 800 px and below: a disclosure button (base.html, app.css). Unhidden here, so
  // that without a script the links simply stay in view. Escape closes it and gives the focus back.
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.hidden = false;
    var setOpen = function (open) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); };
    toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
    toggle.parentNode.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // A form shown again with its errors: the focus on its error summary (templates/_error_summary.html),
  // so a screen reader reads what to correct; a link in it puts the caret in its field, label in view.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
    document.addEventListener("click", function (event) {
      var link = event.target.closest(".error-summary a[href^='#']");
      var input = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!input) { return; }
      event.preventDefault();
      (input.closest(".field") || input).scrollIntoView({block: "center"});
      input.focus({preventScroll: true});
    });
  }

  // A ledger import that is running: poll its status every two seconds, reload when it has finished.
  var card = document.getElementById("import-status");
  if (card && card.getAttribute("data-status") === "importing") {
    var url = card.getAttribute("data-status-url");
    var poll = function () {
      fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
        if (s.status !== "importing") { window.location.reload(); return; }
        document.getElementById("import-progress").value = s.progress;
        setTimeout(poll, 2000);
      }).catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 2000);
  }

  // The registration page (/supervisees/new/). Without a script it shows every term and its "Compute the
  // period" button asks the server; with one, the terms of the chosen category only, the period as the
  // officer types (the same server rules, corrections.periods), and the focus on the error summary.
  var registration = document.getElementById("registration");
  if (registration) {
    var category = document.getElementById("id_sentence_category");
    var showTerms = function () {
      var chosen = category.value;
      registration.querySelectorAll("[data-categories]").forEach(function (field) {
        // No category chosen: every term; a field with an error stays in view, so its message is read.
        var show = chosen === "" || field.classList.contains("invalid") ||
          field.getAttribute("data-categories").split(" ").indexOf(chosen) !== -1;
        field.hidden = !show;
        // A hidden term is not sent: a parole's release date does not stay on a probation case.
        field.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !show; });
      });
    };
    if (category) {
      category.addEventListener("change", showTerms);
      showTerms();
    }

    // A supervisor choosing the office is offered that office's officers only.
    var office = document.getElementById("id_justice_office");
    var officer = document.getElementById("id_officer");
    var showOfficers = function () {
      Array.prototype.forEach.call(officer.options, function (option) {
        var theirs = option.getAttribute("data-office");
        var show = !theirs || !office.value || theirs === office.value;
        option.hidden = !show;
        option.disabled = !show;
        if (!show && option.selected) { officer.value = ""; }
      });
    };
    if (office && officer) {
      office.addEventListener("change", showOfficers);
      showOfficers();
    }

    var result = document.getElementById("period-result");
    var url = registration.getAttribute("data-period-url");
    var button = document.getElementById("compute-period");
    if (result && url && window.fetch && window.FormData) {
      var timer = null;
      var latest = 0;
      var compute = function () {
        var mine = ++latest;
        fetch(url, {method: "POST", body: new FormData(registration), credentials: "same-origin"})
          .then(function (r) { return r.json(); })
          .then(function (answer) {
            // Only the answer to the latest terms; the server rendered it (workspace/_period.html).
            if (mine === latest && typeof answer.html === "string") { result.innerHTML = answer.html; }
          })
          .catch(function () { if (button) { button.hidden = false; } });
      };
      var later = function (event) {
        if (!event.target.name || !/^(sentence_|gender$)/.test(event.target.name)) { return; }
        clearTimeout(timer);
        timer = setTimeout(compute, 500);
      };
      registration.addEventListener("input", later);
      registration.addEventListener("change", later);
      // The period follows the typing; the button stays for when the server cannot be reached.
      if (button) { button.hidden = true; }
    }
  }
})();
