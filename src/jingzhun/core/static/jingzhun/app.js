/* The staff pages' scripts, in one file: the Content-Security-Policy allows no inline script or handler.
   Each feature is switched on by a data- attribute in the page:
   - form[data-confirm]: asks "确定…？" before the form is sent (作废 / 重新生成 a QR code);
   - form[data-submit-once]: one click saves once — the submit button is disabled while the form is being
     sent (the server also refuses a second post of the same form), re-enabled when the page is shown again
     from the browser's history;
   - form[data-year-switch]: the year selector of the income page goes to ../<year>/;
   - #job-progress[data-status-url]: polls a background job's status each second, moves its bar, and
     reloads the page when the job has finished. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }

  function confirmForms() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      }
    });
  }

  function submitOnce() {
    var forms = document.querySelectorAll("form[data-submit-once]");
    Array.prototype.forEach.call(forms, function (form) {
      var button = form.querySelector("button[type=submit]");
      if (!button) { return; }
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) { return; }
        setTimeout(function () { button.disabled = true; }, 0);
      });
      window.addEventListener("pageshow", function () { button.disabled = false; });
    });
  }

  function yearSwitch() {
    var forms = document.querySelectorAll("form[data-year-switch]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        window.location.href = "../" + encodeURIComponent(form.elements.year.value) + "/";
      });
    });
  }

  function jobProgress() {
    var box = document.getElementById("job-progress");
    if (!box) { return; }
    var url = box.getAttribute("data-status-url");
    var bar = document.getElementById("job-bar");
    function show(percent) {
      if (bar) { bar.style.width = percent + "%"; }
    }
    if (bar) { show(bar.getAttribute("data-percent") || 0); }
    function poll() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          document.getElementById("job-stage").textContent = s.stage || s.status_label;
          document.getElementById("job-percent").textContent = s.percent;
          show(s.percent);
          if (s.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 500);
  }

  confirmForms();
  onReady(function () { submitOnce(); yearSwitch(); jobProgress(); });
})();
