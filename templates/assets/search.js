// The search page: Pagefind's index queried in the page's language, with filters.
// No framework; the results are built with DOM calls, never from HTML strings
// other than Pagefind's excerpt, whose only markup (<mark>) is rebuilt as elements.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var pagefind = null;
  var query = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var selects = box.querySelectorAll("select[data-filter]");
  var lastRun = 0;

  function matches(meta, filters) {
    // program_urls holds "|url|url|"; the others hold one value.
    return filters.every(function (f) {
      var value = meta[f.key] || "";
      return f.key === "program_urls" ? value.indexOf("|" + f.value + "|") >= 0 : value === f.value;
    });
  }

  function excerpt(html) {
    // Pagefind's excerpt is escaped text with <mark> around the matches.
    var node = document.createElement("p");
    node.className = "summary";
    html.split(/(<mark>|<\/mark>)/).reduce(function (inMark, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      var text = document.createElement("textarea");
      text.innerHTML = part;  // decodes entities without running anything
      var piece = document.createTextNode(text.value);
      if (inMark) {
        var mark = document.createElement("mark");
        mark.appendChild(piece);
        node.appendChild(mark);
      } else {
        node.appendChild(piece);
      }
      return inMark;
    }, false);
    return node;
  }

  function entry(data) {
    var item = document.createElement("li");
    item.className = "entry";
    var title = document.createElement("h2");
    title.className = "entry-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    title.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = [data.meta.date, data.meta.department].filter(Boolean).join(" · ");
    item.appendChild(title);
    item.appendChild(meta);
    item.appendChild(excerpt(data.excerpt || ""));
    return item;
  }

  async function run() {
    var run = ++lastRun;
    var filters = [];
    selects.forEach(function (select) {
      if (select.value) filters.push({ key: select.dataset.filter, value: select.value });
    });
    var term = query.value.trim();
    if (!term) {
      list.replaceChildren();
      status.textContent = filters.length ? box.dataset.needWords : "";
      return;
    }
    var search = await pagefind.search(term);
    // Filters apply to each result's metadata, so every result's data is loaded
    // when one is chosen; without filters only the first page of results is.
    var candidates = filters.length ? search.results : search.results.slice(0, 30);
    var results = await Promise.all(candidates.map(function (r) { return r.data(); }));
    if (run !== lastRun) return;
    results = results.filter(function (data) { return matches(data.meta, filters); });
    list.replaceChildren.apply(list, results.slice(0, 30).map(entry));
    var total = filters.length ? results.length : search.results.length;
    status.textContent = total
      ? box.dataset.results.replace("{count}", total)
      : box.dataset.noResults;
  }

  // The index comes in parts, one per year (newest first); the first part's script
  // searches them all, with one copy of Pagefind's code.
  var shards = (box.dataset.shards || "").split(" ").filter(Boolean);
  if (!shards.length) {
    pagefind = { search: async function () { return { results: [] }; } };
  }
  (shards.length ? import(shards[0] + "pagefind.js") : Promise.resolve(pagefind)).then(async function (module) {
    pagefind = module;
    if (shards.length) {
      await pagefind.options({ baseUrl: box.dataset.base, basePath: shards[0] });
      for (var i = 1; i < shards.length; i++) {
        await pagefind.mergeIndex(shards[i], { baseUrl: box.dataset.base });
      }
    }
    box.hidden = false;
    var params = new URLSearchParams(location.search);
    if (params.get("q")) query.value = params.get("q");
    query.addEventListener("input", run);
    box.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); run(); });
    selects.forEach(function (select) { select.addEventListener("change", run); });
    run();
  });
})();
