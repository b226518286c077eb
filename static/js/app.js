// The workspace's scripts. Kept out of the pages: the Content-Security-Policy runs no inline script.
(function () {
  "use strict";
  // The language switch submits itself when a language is chosen (the button is there without JS).
  var language = document.getElementById("language");
  if (language) {
    language.addEventListener("change", function () { language.form.submit(); });
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
})();
