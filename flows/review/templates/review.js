// Clicking a finding (or a cell) highlights its cells on the page picture and in the table.
(function () {
  "use strict";
  function clear() {
    document.querySelectorAll(".highlight").forEach(function (el) { el.classList.remove("highlight"); });
    document.querySelectorAll("button.finding").forEach(function (el) { el.setAttribute("aria-pressed", "false"); });
  }
  function select(keys, trigger) {
    clear();
    keys.forEach(function (key) {
      document.querySelectorAll('[data-key="' + key + '"]').forEach(function (el) { el.classList.add("highlight"); });
    });
    if (trigger) { trigger.setAttribute("aria-pressed", "true"); }
    var first = document.querySelector(".box.highlight");
    if (first && first.scrollIntoView) { first.scrollIntoView({ block: "center", behavior: "smooth" }); }
  }
  document.querySelectorAll("button.finding").forEach(function (button) {
    button.addEventListener("click", function () {
      select(button.getAttribute("data-keys").split(" ").filter(Boolean), button);
    });
  });
  document.querySelectorAll(".box, table.grid [data-key]").forEach(function (el) {
    el.addEventListener("click", function () { select([el.getAttribute("data-key")], null); });
  });
})();
