// 打印 buttons (data-print) of printable pages: no inline script, the site's Content-Security-Policy forbids it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
