(function () {
  "use strict";
  // Every value from the data reaches the page as text (textContent, createTextNode) or as
  // an attribute value set with setAttribute; never as markup.
  var data = JSON.parse(document.getElementById("span-data").textContent);
  var article = document.querySelector(".article");
  var summary = document.getElementById("summary");
  var panel = document.getElementById("details");
  var title = document.getElementById("details-title");
  var content = panel.querySelector(".details-body");
  var switches = Array.prototype.slice.call(document.querySelectorAll("button[data-layer]"));
  var marks = Array.prototype.slice.call(article.querySelectorAll("mark.hl"));
  var opener = null;

  function node(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (className) e.className = className;
    return e;
  }
  function link(href, text) {
    var a = node("a", text);
    a.setAttribute("href", href);
    return a;
  }
  function kindOf(mark) { return data.spans[mark.dataset.span].kind; }
  function isOn(kind) {
    return !switches.some(function (b) {
      return b.dataset.layer === kind && b.getAttribute("aria-pressed") !== "true";
    });
  }

  // --- layers: the legend's buttons switch them ---------------------------------------------
  function setLayer(kind, visible) {
    switches.forEach(function (b) {
      if (b.dataset.layer === kind) b.setAttribute("aria-pressed", visible ? "true" : "false");
    });
    marks.forEach(function (m) {
      if (kindOf(m) !== kind) return;
      m.classList.toggle("off", !visible);
      if (m.hasAttribute("data-first")) m.setAttribute("tabindex", visible ? "0" : "-1");
    });
  }
  switches.forEach(function (b) {
    setLayer(b.dataset.layer, b.getAttribute("aria-pressed") === "true");
    b.addEventListener("click", function () {
      setLayer(b.dataset.layer, b.getAttribute("aria-pressed") !== "true");
    });
  });

  // The highlight an event is about: the innermost one whose layer is on.
  function markOf(target) {
    var m = target.closest ? target.closest("mark.hl") : null;
    while (m && !isOn(kindOf(m))) m = m.parentElement.closest("mark.hl");
    return m ? document.getElementById(m.dataset.span) : null;
  }

  // --- summary on hover and focus ---------------------------------------------------------
  function show(mark) {
    summary.textContent = data.spans[mark.dataset.span].summary;
    marks.forEach(function (m) { m.classList.remove("hovered"); });
    mark.classList.add("hovered");
  }
  article.addEventListener("mouseover", function (e) {
    var m = markOf(e.target);
    if (m) show(m);
  });
  article.addEventListener("focusin", function (e) {
    if (e.target.matches("mark[data-first]")) show(e.target);
  });

  // --- details ----------------------------------------------------------------------------
  function valueNode(schema, column, value) {
    var text = String(value);
    var target = schema.links[column];
    if (!target) return document.createTextNode(text);
    return link(data.keys[text] ? "#" + text : "tables.html#" + target + ":" + text, text);
  }
  function fields(schema, row) {
    var dl = node("dl");
    schema.fields.forEach(function (f) {
      var value = row[f[0]];
      if (value === null || value === undefined) return;
      var dt = node("dt", f[1]);
      dt.setAttribute("title", f[2]);
      var dd = node("dd");
      dd.appendChild(valueNode(schema, f[0], value));
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    return dl;
  }
  function heading(tag, table, key) {
    var h = node(tag, data.tables[table].title + " ");
    h.appendChild(link("tables.html#" + table + ":" + key, key));
    return h;
  }
  function rowSection(table, key, tag, className) {
    var section = node("section", null, className);
    section.setAttribute("data-table", table);
    section.appendChild(heading(tag, table, key));
    section.appendChild(fields(data.tables[table], data.rows[table][key]));
    return section;
  }
  // The rows that refer to a row: links where they have a highlight of their own (a span,
  // not only a cue), else their fields.
  function children(list) {
    var box = node("div", null, "children");
    var tables = [];
    list.forEach(function (c) { if (tables.indexOf(c[0]) < 0) tables.push(c[0]); });
    tables.forEach(function (name) {
      var rows = list.filter(function (c) { return c[0] === name; });
      box.appendChild(node("h4", data.tables[name].title + " (" +
        (rows.length === 1 ? "1 row" : rows.length + " rows") + ")"));
      var linked = node("ul", null, "related");
      rows.forEach(function (c) {
        if (!(data.keys[c[1]] && "span_start" in data.rows[c[0]][c[1]])) {
          box.appendChild(rowSection(c[0], c[1], "h5", "child"));
          return;
        }
        var li = node("li");
        li.appendChild(link("#" + c[1], c[1]));
        linked.appendChild(li);
      });
      if (linked.children.length) box.appendChild(linked);
    });
    return box;
  }
  // The highlights these words lie inside, each a link: overlapping spans stay apart.
  function around(mark) {
    var list = node("p", null, "around");
    var outer = mark.parentElement.closest("mark.hl");
    for (; outer; outer = outer.parentElement.closest("mark.hl")) {
      var span = data.spans[outer.dataset.span];
      if (list.childNodes.length) list.appendChild(document.createTextNode(" · "));
      else list.appendChild(document.createTextNode("Inside: "));
      list.appendChild(link("#" + outer.dataset.span, span.label + " " + span.rows[0][1]));
    }
    return list;
  }
  function spanRow(r) {
    var section = rowSection(r[0], r[1], "h3", "row");
    var below = (data.children[r[0]] || {})[r[1]];
    if (below) section.appendChild(children(below));
    return section;
  }
  function keep(mark) {
    // The highlight stays in sight: above a bottom sheet, beside a side panel.
    var box = mark.getBoundingClientRect();
    var sheet = panel.getBoundingClientRect();
    var top = summary.getBoundingClientRect().bottom;
    var bottom = sheet.left <= 0 ? sheet.top : window.innerHeight;
    if (box.top < top || box.bottom > bottom) {
      window.scrollBy(0, box.top - Math.max(top + 8, (bottom - box.height) / 3));
    }
  }
  function open(mark) {
    var span = data.spans[mark.dataset.span];
    if (!isOn(span.kind)) setLayer(span.kind, true);
    marks.forEach(function (m) { m.classList.remove("active"); });
    mark.classList.add("active");
    opener = mark;
    title.textContent = span.label + ": “" + span.text + "”";
    content.textContent = "";
    var key = span.rows[0][1];
    var permalink = node("p", "Link to this: ", "permalink");
    permalink.appendChild(link("#" + key, key));
    content.appendChild(permalink);
    content.appendChild(around(mark));
    span.rows.forEach(function (r) { content.appendChild(spanRow(r)); });
    panel.hidden = false;
    document.body.classList.add("details-open");
    if (window.history && history.replaceState) history.replaceState(null, "", "#" + key);
    keep(mark);
    title.focus({preventScroll: true});
  }
  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    document.body.classList.remove("details-open");
    marks.forEach(function (m) { m.classList.remove("active"); });
    if (opener) opener.focus();
  }
  panel.querySelector(".close").addEventListener("click", close);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") close();
  });
  article.addEventListener("click", function (e) {
    var m = markOf(e.target);
    if (m) open(m);
  });
  article.addEventListener("keydown", function (e) {
    if ((e.key === "Enter" || e.key === " ") && e.target.matches("mark[data-first]")) {
      e.preventDefault();
      open(e.target);
    }
  });

  // --- permalinks: #<row key> or #<highlight id> ------------------------------------------
  function openHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var spanId = data.spans[id] ? id : data.keys[id];
    var mark = spanId ? document.getElementById(spanId) : null;
    if (mark) open(mark);
  }
  window.addEventListener("hashchange", openHash);
  openHash();
})();
