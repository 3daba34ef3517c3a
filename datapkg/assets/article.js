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
  var pieces = Array.prototype.slice.call(article.querySelectorAll(".place"));
  var opener = null;  // the place the details were opened from
  var place = null;   // the place the details show
  var chosen = null;  // the highlight whose rows they show

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
  function summaryOf(spanId) { return document.getElementById("about-" + spanId).textContent; }

  // --- places: one control per run of words under the same shown highlights ---------------
  // A piece is the words between two span boundaries; the highlights over it are the marks
  // around it, outermost first. A place is a maximal run of pieces under the same shown
  // highlights, unless it is only spaces: one tab stop, in reading order, named by its words
  // and described by the kind and summary of each highlight over it. Marks are never
  // controls, so no control nests inside another.
  pieces.forEach(function (p) {
    var over = [];
    for (var m = p.parentElement.closest("mark.hl"); m; m = m.parentElement.closest("mark.hl")) {
      over.unshift(m.dataset.span);
    }
    p.over = over;
  });
  function segment() {
    var runs = [], last = "";
    pieces.forEach(function (p) {
      var shown = p.over.filter(function (id) { return isOn(data.spans[id].kind); });
      var key = shown.join(" ");
      if (!shown.length) runs.push([]);
      else if (key === last) runs[runs.length - 1].push(p);
      else runs.push([p]);
      p.shown = shown;
      last = key;
    });
    pieces.forEach(function (p) {
      p.head = null;
      ["tabindex", "role", "aria-haspopup", "aria-label", "aria-describedby"].forEach(
        function (name) { p.removeAttribute(name); });
    });
    runs.forEach(function (run) {
      var words = run.map(function (m) { return m.textContent; }).join("");
      if (!/\S/.test(words)) return;  // only spaces between two highlights: no place
      var p = run[0];
      run.forEach(function (m) { m.head = p; });
      p.members = run;
      p.setAttribute("tabindex", "0");
      p.setAttribute("role", "button");
      p.setAttribute("aria-haspopup", "dialog");
      p.setAttribute("aria-label", words);
      p.setAttribute("aria-describedby", p.shown.map(function (id) {
        return "about-" + id;
      }).join(" "));
    });
  }
  function members(p, name, on) {
    p.members.forEach(function (m) { m.classList.toggle(name, on); });
  }
  // The place where a highlight's words begin, once its layer is shown.
  function firstPlace(spanId) {
    var first = document.getElementById(spanId).querySelector(".place");
    return first ? first.head : null;
  }

  // --- layers: the legend's buttons switch them ---------------------------------------------
  function setLayer(kind, visible) {
    switches.forEach(function (b) {
      if (b.dataset.layer === kind) b.setAttribute("aria-pressed", visible ? "true" : "false");
    });
    marks.forEach(function (m) {
      if (kindOf(m) === kind) m.classList.toggle("off", !visible);
    });
  }
  switches.forEach(function (b) {
    setLayer(b.dataset.layer, b.getAttribute("aria-pressed") === "true");
    b.addEventListener("click", function () {
      setLayer(b.dataset.layer, b.getAttribute("aria-pressed") !== "true");
      segment();
    });
  });
  segment();

  // The highlight an event is about: the innermost one whose layer is on.
  function markOf(target) {
    var m = target.closest ? target.closest("mark.hl") : null;
    while (m && !isOn(kindOf(m))) m = m.parentElement.closest("mark.hl");
    return m;
  }

  // --- summary on hover and focus ---------------------------------------------------------
  function unmark(name) {
    pieces.forEach(function (p) { p.classList.remove(name); });
  }
  article.addEventListener("mouseover", function (e) {
    var m = markOf(e.target);
    if (!m) return;
    summary.textContent = summaryOf(m.dataset.span);
    unmark("hovered");
    var p = e.target.closest(".place");
    if (p && p.head) members(p.head, "hovered", true);
  });
  article.addEventListener("focusin", function (e) {
    var p = e.target;
    if (!p.classList.contains("place") || p.head !== p) return;
    summary.textContent = p.shown.map(summaryOf).join(" · ");
    unmark("focused");
    members(p, "focused", true);
  });
  article.addEventListener("focusout", function () { unmark("focused"); });

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
  // Every highlight over the place, outermost first: the reader steps through them here
  // (Tab, then Enter), each showing its rows below, and Escape returns to the words.
  function around(p) {
    var box = node("nav", null, "around");
    box.setAttribute("aria-label", "Highlights on these words");
    var list = node("ol");
    p.shown.forEach(function (id) {
      var span = data.spans[id];
      var li = node("li");
      var a = link("#" + id, span.label + " " + span.rows.map(function (r) {
        return r[1];
      }).join(", "));
      a.dataset.span = id;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" — " + summaryOf(id)));
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }
  function spanRow(r) {
    var section = rowSection(r[0], r[1], "h3", "row");
    var below = (data.children[r[0]] || {})[r[1]];
    if (below) section.appendChild(children(below));
    return section;
  }
  function keep(p) {
    // The words stay in sight: above a bottom sheet, beside a side panel.
    var box = p.getBoundingClientRect();
    var sheet = panel.getBoundingClientRect();
    var top = summary.getBoundingClientRect().bottom;
    var bottom = sheet.left <= 0 ? sheet.top : window.innerHeight;
    if (box.top < top || box.bottom > bottom) {
      window.scrollBy(0, box.top - Math.max(top + 8, (bottom - box.height) / 3));
    }
  }
  // Show the rows of one highlight over the open place.
  function choose(spanId) {
    var span = data.spans[spanId];
    chosen = spanId;
    marks.forEach(function (m) { m.classList.remove("active"); });
    document.getElementById(spanId).classList.add("active");
    panel.querySelectorAll(".around a").forEach(function (a) {
      if (a.dataset.span === spanId) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    });
    var rows = content.querySelector(".rows");
    rows.textContent = "";
    var key = span.rows[0][1];
    var permalink = node("p", "Link to this: ", "permalink");
    permalink.appendChild(link("#" + key, key));
    rows.appendChild(permalink);
    span.rows.forEach(function (r) { rows.appendChild(spanRow(r)); });
    if (window.history && history.replaceState) history.replaceState(null, "", "#" + key);
  }
  // Open the details of a place, showing the rows of one highlight over it (the innermost
  // shown, unless another is named).
  function open(p, spanId) {
    opener = place = p;
    unmark("active");
    members(p, "active", true);
    title.textContent = "“" + p.getAttribute("aria-label") + "”";
    content.textContent = "";
    content.appendChild(around(p));
    content.appendChild(node("div", null, "rows"));
    choose(spanId || p.shown[p.shown.length - 1]);
    panel.hidden = false;
    document.body.classList.add("details-open");
    keep(p);
    title.focus({preventScroll: true});
  }
  // Open the details of a highlight, from its first place, showing its layer if hidden.
  function openSpan(spanId) {
    var span = data.spans[spanId];
    if (!isOn(span.kind)) {
      setLayer(span.kind, true);
      segment();
    }
    var p = firstPlace(spanId);
    if (p) open(p, spanId);
  }
  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    chosen = null;
    document.body.classList.remove("details-open");
    marks.forEach(function (m) { m.classList.remove("active"); });
    unmark("active");
    // Back to the words the details came from (to their place as the layers now cut it).
    var back = opener && (opener.head || opener);
    if (back && back.head === back) back.focus();
  }
  panel.querySelector(".close").addEventListener("click", close);
  panel.addEventListener("click", function (e) {
    var a = e.target.closest(".around a");
    if (!a) return;
    e.preventDefault();
    choose(a.dataset.span);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") close();
  });
  article.addEventListener("click", function (e) {
    var p = e.target.closest(".place");
    var m = markOf(e.target);
    if (p && p.head) open(p.head, m && p.head.shown.indexOf(m.dataset.span) >= 0 ?
      m.dataset.span : undefined);
    else if (m) openSpan(m.dataset.span);
  });
  article.addEventListener("keydown", function (e) {
    if ((e.key === "Enter" || e.key === " ") && e.target.classList.contains("place") &&
        e.target.head === e.target) {
      e.preventDefault();
      open(e.target);
    }
  });

  // --- permalinks: #<row key> or #<highlight id> ------------------------------------------
  function openHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var spanId = data.spans[id] ? id : data.keys[id];
    if (spanId && spanId !== chosen) openSpan(spanId);
  }
  window.addEventListener("hashchange", openHash);
  openHash();
})();
