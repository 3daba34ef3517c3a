(function () {
  "use strict";
  // Natural order: runs of digits compare as numbers, the rest as text ignoring case, so
  // 000.st9 < 000.st10 and 2021-06-03 < 2021-09-11; empty cells go last either way.
  function chunks(text) { return text.toLowerCase().match(/\d+|\D+/g) || []; }
  function natural(x, y) {
    var a = chunks(x), b = chunks(y);
    for (var i = 0; i < Math.min(a.length, b.length); i++) {
      var da = /^\d/.test(a[i]), db = /^\d/.test(b[i]);
      if (da !== db) return da ? -1 : 1;
      if (da) {
        var n = Number(a[i]) - Number(b[i]);
        if (n) return n;
        if (a[i].length !== b[i].length) return a[i].length - b[i].length;
      } else if (a[i] !== b[i]) {
        return a[i] < b[i] ? -1 : 1;
      }
    }
    return a.length - b.length;
  }
  function numeric(x, y) { return parseFloat(x) - parseFloat(y); }
  function words(n) { return n === 1 ? "1 row" : n + " rows"; }

  document.querySelectorAll("section.table").forEach(function (section) {
    var table = section.querySelector("table.sortable");
    var body = table.tBodies[0];
    var input = section.querySelector("input[data-filter]");
    var count = section.querySelector(".count");
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));

    headers.forEach(function (th, column) {
      th.querySelector("button").addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var compare = /^(integer|number)$/.test(th.dataset.type) ? numeric : natural;
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent, y = b.cells[column].textContent;
          if (!x || !y) return (x ? 0 : 1) - (y ? 0 : 1);
          var c = compare(x, y);
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });

    function filter() {
      var query = input.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (r) {
        r.hidden = query !== "" && r.textContent.toLowerCase().indexOf(query) < 0;
        if (!r.hidden) shown++;
      });
      var total = Number(count.dataset.total);
      count.textContent = query ? words(shown) + " of " + total : words(total);
    }
    input.addEventListener("input", filter);
    section.filter = function () { input.value = ""; filter(); };
  });

  // A row's anchor, #<table>:<key>: shown even when a filter hid it, and focused.
  function openHash() {
    var row = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!row || row.tagName !== "TR") return;
    if (row.hidden) row.closest("section.table").filter();
    row.setAttribute("tabindex", "-1");
    row.focus({preventScroll: true});
    row.scrollIntoView({block: "center"});
  }
  window.addEventListener("hashchange", openHash);
  openHash();
})();
