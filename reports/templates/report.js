/* govseo scorecard: sort and filter the tables in the page.
   Progressive enhancement only: without this script every table is complete and readable.
   Report text is never inserted as HTML: rows are moved or hidden, labels set with textContent.
   The page's Content-Security-Policy allows exactly this script, by its sha256 hash. */
(function () {
  "use strict";
  var ui = document.body.dataset;
  var collator = new Intl.Collator(document.documentElement.lang || undefined, {numeric: true});

  function format(template, values) {
    var i = 0;
    return String(template || "").replace(/%s/g, function () { return String(values[i++]); });
  }

  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-sort");
    return (key === null ? cell.textContent : key).trim();
  }

  function isNumber(text) {
    return text !== "" && isFinite(Number(text));
  }

  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var keyed = Array.prototype.map.call(body.rows, function (row, i) {
      return {row: row, key: cellKey(row, index), i: i};
    });
    var numeric = keyed.every(function (k) { return k.key === "" || isNumber(k.key); });
    keyed.sort(function (a, b) {
      if (a.key === "" || b.key === "") {  // empty cells last, whatever the direction
        return (a.key === "") - (b.key === "") || a.i - b.i;
      }
      var d = numeric ? Number(a.key) - Number(b.key) : collator.compare(a.key, b.key);
      return (ascending ? d : -d) || a.i - b.i;
    });
    Array.prototype.forEach.call(header.parentNode.cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (k) { fragment.appendChild(k.row); });
    body.appendChild(fragment);
  }

  function makeSortable(table) {
    var head = table.tHead;
    if (!head || !head.rows.length || !table.tBodies.length) { return; }
    Array.prototype.forEach.call(head.rows[0].cells, function (th, index) {
      if (th.hasAttribute("data-nosort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.title = ui.sortHint || "";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
  }

  function makeFilterable(table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var bar = document.createElement("div");
    bar.className = "tbl-tools";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "filter";
    input.placeholder = ui.filter || "";
    input.setAttribute("aria-label", ui.filter || "");
    var status = document.createElement("span");
    status.className = "shown";
    status.setAttribute("aria-live", "polite");
    bar.appendChild(input);
    bar.appendChild(status);
    table.parentNode.insertBefore(bar, table);
    // a <select data-filter-for="TABLE-ID"> (the league's groups) narrows the rows to those of its data-group
    var select = table.id ? document.querySelector('select[data-filter-for="' + table.id + '"]') : null;
    var words = [];
    function apply() {
      var group = select && select.selectedIndex > 0 ? select.value : null;
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var hit = words.every(function (word) { return text.indexOf(word) >= 0; }) &&
          (group === null || row.getAttribute("data-group") === group);
        row.hidden = !hit;
        shown += hit ? 1 : 0;
      });
      status.textContent = words.length || group !== null ? format(ui.shown, [shown, rows.length]) : "";
    }
    input.addEventListener("input", function () {
      words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      apply();
    });
    if (select) { select.addEventListener("change", apply); }
  }

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  document.querySelectorAll("table[data-filter]").forEach(makeFilterable);
  document.documentElement.classList.add("js");
}());
