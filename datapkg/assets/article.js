(function () {
  var data = JSON.parse(document.getElementById("span-data").textContent);
  var summary = document.getElementById("summary");
  var details = document.getElementById("details");
  function show(el) {
    summary.textContent = data[el.dataset.span].summary;
    document.querySelectorAll("mark.hovered").forEach(function (m) { m.classList.remove("hovered"); });
    el.classList.add("hovered");
  }
  function open(el) {
    var span = data[el.dataset.span];
    document.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
    el.classList.add("active");
    details.hidden = false;
    details.innerHTML = "";
    var h = document.createElement("h3");
    h.textContent = span.label + " — “" + span.text + "”";
    details.appendChild(h);
    span.rows.forEach(function (r) {
      var t = document.createElement("table");
      t.dataset.table = r.table;
      var cap = document.createElement("caption");
      cap.textContent = r.table;
      t.appendChild(cap);
      Object.keys(r.row).forEach(function (k) {
        if (r.row[k] === null) return;
        var tr = document.createElement("tr");
        var th = document.createElement("th"); th.textContent = k;
        var td = document.createElement("td"); td.textContent = String(r.row[k]);
        tr.appendChild(th); tr.appendChild(td); t.appendChild(tr);
      });
      details.appendChild(t);
    });
    if (span.extra) {
      var p = document.createElement("p"); p.textContent = span.extra; details.appendChild(p);
    }
  }
  document.querySelectorAll("mark.hl").forEach(function (el) {
    el.addEventListener("mouseover", function (e) { e.stopPropagation(); show(el); });
    el.addEventListener("focus", function () { show(el); });
    el.addEventListener("click", function (e) {
      e.stopPropagation();
      var first = document.querySelector('mark[data-first][data-span="' + el.dataset.span + '"]');
      open(first); first.focus();
    });
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(el); }
    });
  });
})();
