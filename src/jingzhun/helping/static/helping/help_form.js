/* 帮扶记录 form (form[data-live-check]): the checks a phone can make before anything is sent, in the same
   Chinese words as the server's, and every field's message removed as soon as the field is fixed.
   A field says what it checks with data- attributes the form class writes: data-msg-required (with
   `required`), data-pattern + data-msg-pattern, min/max + data-msg-min/data-msg-max (ISO dates compare as
   text). A message only the server can give (e.g. a 公开说明 with a phone number) goes when the field is
   changed; the server checks everything again on 保存. The form stays `novalidate`: the browser's own
   bubbles are in the browser's language and vanish on a phone. Runs in the capture phase, so a refused
   submit is cancelled before form[data-submit-once] disables the button. */
(function () {
  "use strict";

  function problem(field) {
    var value = (field.value || "").trim();
    if (value === "") {
      return field.hasAttribute("required") ? field.getAttribute("data-msg-required") || "" : "";
    }
    var pattern = field.getAttribute("data-pattern");
    if (pattern && !new RegExp("^(?:" + pattern + ")$").test(value)) { return field.getAttribute("data-msg-pattern") || ""; }
    var min = field.getAttribute("min"), max = field.getAttribute("max");
    if (field.type === "date" && min && value < min) { return field.getAttribute("data-msg-min") || ""; }
    if (field.type === "date" && max && value > max) { return field.getAttribute("data-msg-max") || ""; }
    return "";
  }

  function box(field) { return field.closest("div") || field.parentNode; }

  function clear(field) {
    var list = box(field).querySelector(".errorlist");
    if (list) { list.parentNode.removeChild(list); }
    field.removeAttribute("aria-invalid");
  }

  function show(field, message) {
    clear(field);
    var list = document.createElement("ul");
    list.className = "errorlist";
    list.id = field.id + "_error";
    var item = document.createElement("li");
    item.textContent = message;
    list.appendChild(item);
    box(field).appendChild(list);
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", list.id);
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.id && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA") && el.type !== "hidden";
    });
  }

  function watch(form) {
    fields(form).forEach(function (field) {
      var start = field.value;
      function fixed() {
        if (!field.hasAttribute("aria-invalid") && !box(field).querySelector(".errorlist")) { return; }
        if (problem(field) === "" && (field.value !== start || field.hasAttribute("data-live-shown"))) { clear(field); }
      }
      field.addEventListener("input", fixed);
      field.addEventListener("change", fixed);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-live-check")) { return; }
    var first = null;
    fields(form).forEach(function (field) {
      var message = problem(field);
      if (message) {
        show(field, message);
        field.setAttribute("data-live-shown", "");
        if (!first) { first = field; }
      }
    });
    if (first) {
      event.preventDefault();
      event.stopImmediatePropagation();
      first.focus();
    }
  }, true);

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-live-check]"), watch);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
