// The reconnect dialog's buttons. blazor.web.js toggles the dialog's classes; a circuit the server no longer knows
// (it restarted) cannot come back, so the page reloads and starts a new one. Jobs live in the database: nothing is lost.
(function () {
  var modal = document.getElementById("components-reconnect-modal");
  if (!modal) return;
  var button = document.getElementById("components-reconnect-button");
  if (button) {
    button.addEventListener("click", function () {
      Blazor.reconnect().then(function (ok) { if (!ok) location.reload(); }, function () { location.reload(); });
    });
  }
  new MutationObserver(function () {
    if (modal.classList.contains("components-reconnect-rejected")) location.reload();
  }).observe(modal, { attributes: true, attributeFilter: ["class"] });
})();
